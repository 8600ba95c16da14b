// api/load: reading the user's YAML (YAML 1.1, multi-document, kind: List) into v1 objects, with
// Kubernetes-like decode problems located at file:line:col; v1beta1 is converted on load.
// Values come from js-yaml with `yaml`'s 1.1 scalar rules when that reads the file the same
// (fast.ts); the `yaml` parse that locates problems runs only when one is reported.
export { formatProblem, type LoadProblem, type SourcePosition } from './problem.ts';
export { loadYaml, loadFiles, type LoadResult, type LoadOptions } from './load.ts';
export type { LoadedObject, StoredOnly } from './decode.ts';
export type { TektonObject } from './kinds.ts';
export { randomSuffix, generateName, isDNS1123Label, isDNS1123Subdomain } from './names.ts';
export { toV1beta1 } from '../v1beta1/index.ts';
