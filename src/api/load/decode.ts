// decode.ts: one YAML mapping → a v1 object: kind dispatch, strict decode, v1beta1 conversion, metadata.
import type { z } from 'zod';
import { convertToV1 } from '../v1beta1/index.ts';
import { canonicalKeys } from './canonical.ts';
import { embeddedIssues } from './embedded.ts';
import { decodeIssues } from './issues.ts';
import type { OtherObject } from '../v1/index.ts';
import { lookupKind, OTHER, V1BETA1_ALIASES, type TektonObject } from './kinds.ts';
import { generateName } from './names.ts';
import type { LoadProblem, SourcePosition } from './problem.ts';
import type { FieldAliases, SourceDocument } from './source.ts';

/** LoadedObject is one object read from a file, in its v1 form, with a way back to its source lines. */
export interface LoadedObject {
  object: TektonObject;
  /** the apiVersion as written (e.g. tekton.dev/v1beta1), so runs can be printed back in it. */
  sourceApiVersion: string;
  file: string;
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** locate finds a FieldError path ('spec.steps[0].image') in the file, or its nearest existing ancestor. */
  locate(path: string): SourcePosition | undefined;
}

/** Where is the object inside its document: the file, the document, and the path of a `kind: List` item. */
export interface Where {
  file: string;
  doc: SourceDocument;
  base: string;
  randomSuffix?: () => string;
}

/** StoredOnly is an object of a kind Tektite does not use (RBAC, quotas, CRDs): stored as written. */
export interface StoredOnly {
  object: OtherObject;
  file: string;
  document: number;
  locate(path: string): SourcePosition | undefined;
}

type Decoded = { object?: LoadedObject; other?: StoredOnly; problems: LoadProblem[] };

/** joinPath appends a FieldError path to a base path. */
export function joinPath(base: string, path: string): string {
  if (!base || !path) return base || path;
  return path.startsWith('[') ? base + path : `${base}.${path}`;
}

/** decodeObject decodes one object mapping; every user error is a problem with a position. */
export function decodeObject(raw: Record<string, unknown>, where: Where): Decoded {
  const { doc, base } = where;
  const problem = problemAt(where, {});
  // k8s.io/apimachinery's YAML decoder checks kind first, then apiVersion.
  if (typeof raw.kind !== 'string' || raw.kind === '') return { problems: [problem('', "Object 'Kind' is missing")] };
  if (typeof raw.apiVersion !== 'string' || raw.apiVersion === '') return { problems: [problem('', "Object 'apiVersion' is missing")] };
  const entry = lookupKind(raw.apiVersion, raw.kind);
  if (!entry) return { problems: [problem('', `no kind ${JSON.stringify(raw.kind)} is registered for version ${JSON.stringify(raw.apiVersion)}`, 'kind')] };

  const first = decodeWith(entry.schema, raw, problem);
  if (!first.data) return { problems: first.problems };
  // Before conversion, so paths are as the user wrote them and case-folded keys are carried to v1.
  const embedded = sortByPosition(embeddedIssues(first.data, raw.kind).map((i) => problem(i.path, i.message, i.at)));
  if (embedded.length) return { problems: embedded };
  let data = first.data;
  if (entry.v1) {
    const converted = convertToV1(data);
    if (converted.problems.length) return { problems: converted.problems.map((p) => problem(p.path, p.message)) };
    const second = decodeWith(entry.v1, converted.object, problemAt(where, V1BETA1_ALIASES));
    if (!second.data) return { problems: second.problems };
    data = second.data;
  }
  const metaProblem = setMetadata(data, where.randomSuffix);
  if (metaProblem) return { problems: [problem('metadata.name', metaProblem)] };
  const aliases = entry.v1 ? V1BETA1_ALIASES : {};
  if (entry === OTHER) {
    const other = { object: data as OtherObject, file: where.file, document: doc.index, locate: (path: string) => doc.position(joinPath(base, path)) };
    return { other, problems: [] };
  }
  const object: LoadedObject = {
    object: data as TektonObject,
    sourceApiVersion: raw.apiVersion,
    file: where.file,
    document: doc.index,
    locate: (path) => doc.position(joinPath(base, path), aliases),
  };
  return { object, problems: [] };
}

type MakeProblem = (path: string, message: string, at?: string) => LoadProblem;

// A problem's path is relative to the object; `at` is the path whose YAML node it points to.
function problemAt(where: Where, aliases: FieldAliases): MakeProblem {
  return (path, message, at = path) => ({
    message,
    path: joinPath(where.base, path),
    position: where.doc.position(joinPath(where.base, at), aliases),
  });
}

function decodeWith(schema: z.ZodType, value: unknown, problem: MakeProblem): { data?: Record<string, unknown>; problems: LoadProblem[] } {
  const parsed = schema.safeParse(canonicalKeys(value, schema));
  if (parsed.success) return { data: parsed.data as Record<string, unknown>, problems: [] };
  return { problems: sortByPosition(decodeIssues(parsed.error.issues).map((i) => problem(i.path, i.message, i.at))) };
}

// zod reports in schema order; users read files top to bottom.
function sortByPosition(problems: LoadProblem[]): LoadProblem[] {
  const key = (p: LoadProblem) => (p.position ? p.position.line * 1e4 + p.position.col : 0);
  return problems.sort((a, b) => key(a) - key(b));
}

// The API server names objects from metadata.generateName and puts them in the request's namespace.
function setMetadata(data: Record<string, unknown>, suffix?: () => string): string | undefined {
  const meta = data.metadata as { name?: string; generateName?: string; namespace?: string };
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName, suffix);
  if (!meta.name) return 'Required value: name or generateName is required';
  meta.namespace ??= 'default';
  return undefined;
}
