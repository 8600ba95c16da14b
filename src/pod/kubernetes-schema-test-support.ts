// kubernetes-schema-test-support.ts: test-only checks that a V1Pod is one the Kubernetes API
// server would accept: kubernetes-models' OpenAPI schema, field names (the schema there does not
// reject unknown fields, so they are read from its generated .d.ts interfaces), and the
// apimachinery validation of names, labels, volumes and mounts (k8s.io/kubernetes
// pkg/apis/core/validation). Not part of the pod folder's public face (index.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { Pod } from 'kubernetes-models/v1';

/** FieldType is what a field of a Kubernetes object holds: another object type, a map, or a scalar. */
interface FieldType {
  /** ref is the .d.ts file of the object type the field (or each array item) holds. */
  ref?: string;
  /** mapOf is the .d.ts file of the object type each value of a `{ [key: string]: T }` holds. */
  mapOf?: string;
}

const require = createRequire(import.meta.url);
const shapes = new Map<string, Map<string, FieldType> | undefined>();

/** shapeOf reads the fields of the first interface a kubernetes-models .d.ts declares (undefined: a scalar alias). */
function shapeOf(file: string): Map<string, FieldType> | undefined {
  if (shapes.has(file)) return shapes.get(file);
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    const spec = m[2];
    imports.set(m[1], spec.startsWith('.') ? join(dirname(file), `${spec}.d.ts`) : createRequire(file).resolve(spec).replace(/\.js$/, '.d.ts'));
  }
  const body = /^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m.exec(text);
  let fields: Map<string, FieldType> | undefined;
  if (body) {
    fields = new Map();
    const lines = body[1].split('\n');
    lines.forEach((line, i) => {
      const prop = /^ {4}"([^"]+)"\??: (.*)$/.exec(line);
      if (!prop) return;
      const type = prop[2];
      const value = type === '{' ? /^ {8}\[key: string\]: (\w+)/.exec(lines[i + 1] ?? '')?.[1] : undefined;
      const ref = /^(?:Array<)?(\w+)/.exec(type)?.[1];
      fields!.set(prop[1], type === '{' ? { mapOf: value && imports.get(value) } : { ref: ref && imports.get(ref) });
    });
  }
  shapes.set(file, fields);
  return fields;
}

/** unknownFields lists the paths of fields Kubernetes' Pod type does not have (the API server would drop or reject them). */
export function unknownFields(pod: unknown): string[] {
  const podFile = require.resolve('kubernetes-models/v1/Pod').replace(/\.js$/, '.d.ts');
  const out: string[] = [];
  walk(pod, podFile, '', out);
  return out;
}

function walk(value: unknown, file: string | undefined, path: string, out: string[]): void {
  if (!file || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, file, `${path}[${i}]`, out));
    return;
  }
  const fields = shapeOf(file);
  if (!fields) return;
  for (const [key, v] of Object.entries(value)) {
    const f = fields.get(key);
    const p = path ? `${path}.${key}` : key;
    if (!f) out.push(p);
    else if (f.mapOf && v && typeof v === 'object') for (const [k, mv] of Object.entries(v)) walk(mv, f.mapOf, `${p}[${k}]`, out);
    else walk(v, f.ref, p, out);
  }
}

/** schemaErrors runs kubernetes-models' OpenAPI validation and returns its messages (empty: valid). */
export function schemaErrors(pod: unknown): string[] {
  try {
    new Pod(pod as never).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) throw e;
    return errors.map((x) => `${x.instancePath} ${x.message ?? ''}`.trim());
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** isDNS1123Label is apimachinery IsDNS1123Label: lower-case alphanumerics and '-', at most 63 characters. */
export function isDNS1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** isLabelKey is apimachinery IsQualifiedName: an optional DNS subdomain prefix and a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts[0].length <= 253 && DNS1123_SUBDOMAIN.test(parts[0]));
  return prefixOk && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** isLabelValue is apimachinery IsValidLabelValue: empty, or at most 63 characters of [-A-Za-z0-9_.] starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * podProblems lists what the API server's Pod validation (ValidatePodCreate) would reject among
 * the rules that a builder can get wrong: names, labels, unique container/volume names, mounts of
 * declared volumes at distinct paths, restartPolicy and activeDeadlineSeconds.
 */
export function podProblems(pod: V1Pod): string[] {
  const out: string[] = [];
  const meta = pod.metadata ?? {};
  const name = meta.name ?? '';
  if (name.length > 63 || !DNS1123_SUBDOMAIN.test(name)) out.push(`metadata.name ${JSON.stringify(name)} is not a DNS-1123 name of at most 63 characters`);
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    if (!isLabelKey(k)) out.push(`metadata.labels: invalid key ${JSON.stringify(k)}`);
    if (!isLabelValue(v)) out.push(`metadata.labels[${k}]: invalid value ${JSON.stringify(v)}`);
  }
  const spec = pod.spec;
  if (!spec) return [...out, 'spec is missing'];
  const volumes = new Set<string>();
  for (const v of spec.volumes ?? []) {
    if (!isDNS1123Label(v.name)) out.push(`spec.volumes: ${JSON.stringify(v.name)} is not a DNS-1123 label`);
    if (volumes.has(v.name)) out.push(`spec.volumes: duplicate name ${JSON.stringify(v.name)}`);
    volumes.add(v.name);
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length !== 1) out.push(`spec.volumes[${v.name}]: must specify exactly one source, has ${JSON.stringify(sources)}`);
  }
  const containers = new Set<string>();
  const all: [string, V1Container][] = [
    ...(spec.initContainers ?? []).map((c): [string, V1Container] => ['initContainers', c]),
    ...spec.containers.map((c): [string, V1Container] => ['containers', c]),
  ];
  for (const [field, c] of all) {
    if (!isDNS1123Label(c.name)) out.push(`spec.${field}: ${JSON.stringify(c.name)} is not a DNS-1123 label`);
    if (containers.has(c.name)) out.push(`spec.${field}: duplicate container name ${JSON.stringify(c.name)}`);
    containers.add(c.name);
    if (!c.image) out.push(`spec.${field}[${c.name}].image: Required value`);
    const paths = new Set<string>();
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) out.push(`spec.${field}[${c.name}].volumeMounts[${m.name}]: Not found`);
      if (paths.has(m.mountPath)) out.push(`spec.${field}[${c.name}].volumeMounts: mountPath ${JSON.stringify(m.mountPath)} must be unique`);
      paths.add(m.mountPath);
    }
  }
  if (spec.restartPolicy !== 'Never') out.push(`spec.restartPolicy is ${JSON.stringify(spec.restartPolicy)}, not "Never"`);
  const deadline = spec.activeDeadlineSeconds;
  if (deadline === undefined || !Number.isInteger(deadline) || deadline < 1) out.push(`spec.activeDeadlineSeconds ${deadline} is not a positive integer`);
  return out;
}
