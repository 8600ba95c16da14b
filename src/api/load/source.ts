// source.ts: reading YAML the way Kubernetes does (YAML 1.1) and mapping field paths back to lines.
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { fastValues } from './fast.ts';
import { parsePath, type PathSegment } from './path.ts';
import type { LoadProblem, SourcePosition } from './problem.ts';
import { customTags } from './yaml11.ts';

/** SourceDocument is one non-empty YAML document of a file; if it is malformed, `problems` says why. */
export interface SourceDocument {
  index: number;
  value: unknown;
  problems: LoadProblem[];
  /** position finds the node at a path (nearest existing ancestor); aliases are for renamed v1beta1 fields. */
  position(path: string, aliases?: FieldAliases): SourcePosition;
}

/** FieldAliases maps a field name to the names to try when it is absent ('' = skip the segment). */
export type FieldAliases = Readonly<Record<string, readonly string[]>>;

/** readDocuments parses every document of a file; syntax errors become problems with line:col. */
export function readDocuments(text: string, file: string): SourceDocument[] {
  const values = fastValues(text);
  return values ? fastDocuments(values, text, file) : fullDocuments(parseFull(text, file));
}

/** ParsedFile is the `yaml` package's full parse of a file: documents with source ranges. */
interface ParsedFile {
  docs: Document[];
  at(offset: number): SourcePosition;
}

function parseFull(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.1',
    lineCounter,
    prettyErrors: false,
    customTags: customTags as never,
  });
  return { docs: Array.isArray(docs) ? docs : [docs], at: (offset) => ({ file, ...lineCounter.linePos(offset) }) };
}

function fullDocuments(parsed: ParsedFile): SourceDocument[] {
  const documents: SourceDocument[] = [];
  parsed.docs.forEach((doc, index) => {
    const problems = doc.errors.map((e) => ({ message: e.message, path: '', position: parsed.at(e.pos[0]) }));
    const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
    if (empty && !problems.length) return;
    let value: unknown;
    if (!problems.length) {
      try {
        value = doc.toJS({ maxAliasCount: 1000 });
      } catch (e) {
        // yaml refuses alias bombs ("Excessive alias count ...") by throwing: bad input, not a bug.
        problems.push({ message: (e as Error).message, path: '', position: parsed.at(doc.range?.[0] ?? 0) });
      }
    }
    documents.push({
      index,
      value,
      problems,
      position: (path, aliases = {}) => positionIn(parsed, index, path, aliases),
    });
  });
  return documents;
}

// The values came from the fast path; the `yaml` parse that maps paths to lines is only paid
// for when something asks where a field is (a problem to report).
function fastDocuments(values: unknown[], text: string, file: string): SourceDocument[] {
  let parsed: ParsedFile | undefined;
  const full = () => (parsed ??= parseFull(text, file));
  const documents: SourceDocument[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return;
    documents.push({ index, value, problems: [], position: (path, aliases = {}) => positionIn(full(), index, path, aliases) });
  });
  return documents;
}

function positionIn(parsed: ParsedFile, index: number, path: string, aliases: FieldAliases): SourcePosition {
  const doc = parsed.docs[index];
  const root = doc?.contents as Node | null | undefined;
  return parsed.at(doc && root ? offsetOf(doc, root, parsePath(path), aliases) : 0);
}

/** offsetOf walks the AST as far as the path goes; map fields point at their key, list items at the item. */
function offsetOf(doc: Document, root: Node, segments: PathSegment[], aliases: FieldAliases): number {
  let node: unknown = root;
  let offset = root.range?.[0] ?? 0;
  for (let i = 0; i < segments.length; i++) {
    node = resolve(doc, node);
    const seg = segments[i];
    if ('index' in seg && isSeq(node)) {
      const item = (node as YAMLSeq).items[seg.index] as Node | undefined;
      if (!item) break;
      [node, offset] = [item, item.range?.[0] ?? offset];
      continue;
    }
    if ('key' in seg && isSeq(node)) {
      const item = (node as YAMLSeq).items.find((it) => isMap(resolve(doc, it)) && String((resolve(doc, it) as YAMLMap).get('name')) === seg.key) as Node | undefined;
      if (!item) break;
      [node, offset] = [item, item.range?.[0] ?? offset];
      continue;
    }
    if (!isMap(node)) break;
    const name = 'field' in seg ? seg.field : 'key' in seg ? seg.key : String(seg.index);
    const found = findPair(node as YAMLMap, name, aliases);
    if (!found) break;
    if (found === 'skip') continue;
    const key = found.key as Node;
    [node, offset] = [found.value, key?.range?.[0] ?? offset];
  }
  return offset;
}

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

// Go's encoding/json matches field names case-insensitively, so `mountpath:` is `mountPath`.
function findPair(map: YAMLMap, name: string, aliases: FieldAliases): Pair | 'skip' | undefined {
  const keyOf = (p: unknown) => (isPair(p) ? String(isScalar(p.key) ? p.key.value : p.key) : '');
  const exact = map.items.find((p) => keyOf(p) === name);
  if (exact) return exact;
  const folded = map.items.find((p) => keyOf(p).toLowerCase() === name.toLowerCase());
  if (folded) return folded;
  for (const alias of aliases[name] ?? []) {
    if (alias === '') return 'skip';
    const found = map.items.find((p) => keyOf(p) === alias);
    if (found) return found;
  }
  return undefined;
}
