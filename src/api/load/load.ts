// load.ts: files and text → v1 objects plus problems (kubectl apply -f semantics, nothing thrown).
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { decodeObject, type LoadedObject, type StoredOnly, type Where } from './decode.ts';
import { applyMerges, hasMergeKey, unsupportedJSON } from './goyaml.ts';
import type { LoadProblem } from './problem.ts';
import { readDocuments, type SourceDocument } from './source.ts';

/** LoadResult is every object that decoded and every problem found, in file order. */
export interface LoadResult {
  objects: LoadedObject[];
  /** others are the objects of kinds Tektite does not use, to store as kubectl would apply them. */
  others: StoredOnly[];
  problems: LoadProblem[];
}

/** LoadOptions: the suffix generator for metadata.generateName, and the stream read for '-'. */
export interface LoadOptions {
  randomSuffix?: () => string;
  stdin?: NodeJS.ReadableStream;
}

const STDIN_NAME = '<stdin>';
// kubectl -f <dir> reads these extensions (k8s.io/cli-runtime FileExtensions).
const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** loadYaml decodes every document of one file's text; `kind: List` items are unpacked. */
export function loadYaml(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { objects: [], others: [], problems: [] };
  const merges = hasMergeKey(text);
  for (const doc of readDocuments(text, file)) append(result, loadDocument(merges ? merged(doc) : doc, file, options));
  return result;
}

function loadDocument(doc: SourceDocument, file: string, options: LoadOptions): LoadResult {
  const value = doc.value;
  if (doc.problems.length) return { objects: [], others: [], problems: doc.problems };
  if (!isMapping(value)) {
    return {
      objects: [],
      others: [],
      problems: [{ message: `invalid document: expected a mapping (apiVersion, kind, metadata, ...), got ${jsonType(value)}`, path: '', position: doc.position('') }],
    };
  }
  const notJSON = unsupportedJSON(value);
  if (notJSON) return { objects: [], others: [], problems: [{ ...notJSON, position: doc.position(notJSON.path) }] };
  const where = (base: string): Where => ({ file, doc, base, randomSuffix: options.randomSuffix });
  if (value.kind !== 'List') return collect([decodeObject(value, where(''))]);
  if (!Array.isArray(value.items)) {
    return { objects: [], others: [], problems: [{ message: `invalid type: expected array, got ${jsonType(value.items)}`, path: 'items', position: doc.position('items') }] };
  }
  return collect(
    value.items.map((item, i) =>
      isMapping(item)
        ? decodeObject(item, where(`items[${i}]`))
        : { problems: [{ message: `invalid type: expected object, got ${jsonType(item)}`, path: `items[${i}]`, position: doc.position(`items[${i}]`) }] },
    ),
  );
}

// `<<` keys come out of both readers as plain keys; go-yaml's merge is applied here.
function merged(doc: SourceDocument): SourceDocument {
  if (doc.problems.length) return doc;
  const r = applyMerges(doc.value);
  if ('value' in r) return { ...doc, value: r.value };
  return { ...doc, value: undefined, problems: [{ ...r, position: doc.position(r.path) }] };
}

function collect(results: { object?: LoadedObject; other?: StoredOnly; problems: LoadProblem[] }[]): LoadResult {
  return {
    objects: results.flatMap((r) => (r.object ? [r.object] : [])),
    others: results.flatMap((r) => (r.other ? [r.other] : [])),
    problems: results.flatMap((r) => r.problems),
  };
}

function append(to: LoadResult, from: LoadResult): void {
  to.objects.push(...from.objects);
  to.others.push(...from.others);
  to.problems.push(...from.problems);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** loadFiles reads files ('-' = stdin, a directory = its .yaml/.yml/.json files); unreadable files are problems. */
export async function loadFiles(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { objects: [], others: [], problems: [] };
  for (const path of paths) {
    const files = path === '-' ? [path] : await expand(path);
    if (typeof files === 'string') {
      result.problems.push({ message: files, path: '' });
      continue;
    }
    for (const file of files) {
      const text = await readText(file, options);
      if (text.error !== undefined) {
        result.problems.push({ message: text.error, path: '' });
        continue;
      }
      append(result, loadYaml(text.text, file === '-' ? STDIN_NAME : file, options));
    }
  }
  return result;
}

// Returns the files to read, or kubectl's message when the path cannot be read.
async function expand(path: string): Promise<string[] | string> {
  try {
    if (!(await stat(path)).isDirectory()) return [path];
    const names = (await readdir(path)).filter((n) => EXTENSIONS.has(extname(n))).sort();
    return names.map((n) => join(path, n));
  } catch (e) {
    return readError(path, e);
  }
}

async function readText(file: string, options: LoadOptions): Promise<{ text: string; error?: undefined } | { error: string }> {
  try {
    if (file !== '-') return { text: await readFile(file, 'utf8') };
    const chunks: Buffer[] = [];
    for await (const chunk of options.stdin ?? process.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return { text: Buffer.concat(chunks).toString('utf8') };
  } catch (e) {
    return { error: readError(file, e) };
  }
}

function readError(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return `the path ${JSON.stringify(path)} does not exist`;
  return `error reading ${JSON.stringify(path)}: ${err.message}`;
}
