// problem.ts: what loading reports about the user's files, and how it is printed.

/** SourcePosition is a 1-based line and column in a file. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** LoadProblem is one user error found while reading, parsing or decoding a file. */
export interface LoadProblem {
  message: string;
  /** FieldError-style path inside the object ('spec.steps[0]'); '' when the problem is the document or file. */
  path: string;
  position?: SourcePosition;
}

/** formatProblem prints `<path>: <message> (<file>:<line>:<col>)`, leaving out the parts that are empty. */
export function formatProblem(p: LoadProblem): string {
  const head = p.path ? `${p.path}: ${p.message}` : p.message;
  return p.position ? `${head} (${p.position.file}:${p.position.line}:${p.position.col})` : head;
}
