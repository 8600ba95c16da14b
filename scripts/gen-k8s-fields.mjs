// gen-k8s-fields.mjs: writes src/api/v1/k8s-fields.json, the field names of the Kubernetes core
// types Tekton embeds (step securityContext, probes, volumes, podTemplate, volumeClaimTemplate...),
// read from the generated .d.ts interfaces of the kubernetes-models devDependency. The loader
// (src/api/load/embedded.ts) uses it to refuse unknown fields in those types, as Tekton's
// admission webhook does (it decodes the whole object with Go's json DisallowUnknownFields).
//
// Regenerate after upgrading kubernetes-models:   node scripts/gen-k8s-fields.mjs
//
// Each type maps its fields to what they hold: "" a scalar (or a map of scalars, or an opaque
// object such as FieldsV1), "T" an object of type T, "[]T" a list of T, "{}T" a map of T.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const coreFile = (name) => require.resolve(`kubernetes-models/v1/${name}`).replace(/\.js$/, '.d.ts');

// The core/v1 types that appear in Tekton's types as they are (container_types.go, task_types.go,
// workspace_types.go, and the kinds the loader accepts from the same files).
const ROOTS = [
  'SecurityContext',
  'EnvFromSource',
  'EnvVar',
  'Probe',
  'Lifecycle',
  'ContainerPort',
  'VolumeDevice',
  'ResourceRequirements',
  'Volume',
  'PersistentVolumeClaim',
  'ServiceAccount',
];

// Tekton's pod.Template (pkg/apis/pipeline/pod/template.go): these PodSpec fields, same JSON names,
// plus `env` ([]corev1.EnvVar, added to every container).
const POD_TEMPLATE_FIELDS = [
  'nodeSelector',
  'tolerations',
  'affinity',
  'securityContext',
  'volumes',
  'runtimeClassName',
  'automountServiceAccountToken',
  'dnsPolicy',
  'dnsConfig',
  'enableServiceLinks',
  'priorityClassName',
  'schedulerName',
  'imagePullSecrets',
  'hostAliases',
  'hostNetwork',
  'topologySpreadConstraints',
];

/** parse reads the first interface of a .d.ts: field name → { kind, file } (file undefined: scalar). */
function parse(file) {
  const text = readFileSync(file, 'utf8');
  const imports = new Map();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    const spec = m[2];
    imports.set(m[1], spec.startsWith('.') ? join(dirname(file), `${spec}.d.ts`) : createRequire(file).resolve(spec).replace(/\.js$/, '.d.ts'));
  }
  const body = /^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m.exec(text);
  if (!body) return undefined;
  const fields = new Map();
  const lines = body[1].split('\n');
  lines.forEach((line, i) => {
    const prop = /^ {4}"([^"]+)"\??: (.*)$/.exec(line);
    if (!prop) return;
    const type = prop[2];
    if (type === '{') {
      const value = /^ {8}\[key: string\]: (\w+)/.exec(lines[i + 1] ?? '')?.[1];
      fields.set(prop[1], { kind: '{}', file: value && imports.get(value) });
    } else {
      const ref = /^(Array<)?(\w+)/.exec(type);
      fields.set(prop[1], { kind: ref?.[1] ? '[]' : '', file: ref && imports.get(ref[2]) });
    }
  });
  return fields;
}

const types = {};
const fileOf = new Map();
const queue = [];
const parsed = new Map();

function parsedFields(file) {
  if (!parsed.has(file)) parsed.set(file, parse(file));
  return parsed.get(file);
}

// An object type with no fields (FieldsV1, RawExtension) holds arbitrary JSON: a scalar here.
function encode(field) {
  const fields = field.file && parsedFields(field.file);
  if (!fields || fields.size === 0) return '';
  const name = basename(field.file, '.d.ts');
  if (fileOf.has(name) && fileOf.get(name) !== field.file) throw new Error(`two types named ${name}: ${fileOf.get(name)} and ${field.file}`);
  if (!fileOf.has(name)) {
    fileOf.set(name, field.file);
    queue.push(name);
  }
  return field.kind + name;
}

function describe(fields) {
  const out = {};
  for (const [name, field] of [...fields].sort(([a], [b]) => a.localeCompare(b))) out[name] = encode(field);
  return out;
}

for (const name of ROOTS) encode({ kind: '', file: coreFile(name) });
const podSpec = parsedFields(coreFile('PodSpec'));
types.PodTemplate = describe(
  new Map([
    ['env', { kind: '[]', file: coreFile('EnvVar') }],
    ...POD_TEMPLATE_FIELDS.map((f) => {
      if (!podSpec.has(f)) throw new Error(`PodSpec has no field ${f}`);
      return [f, podSpec.get(f)];
    }),
  ]),
);
while (queue.length) {
  const name = queue.shift();
  types[name] = describe(parsedFields(fileOf.get(name)));
}

const version = JSON.parse(readFileSync(require.resolve('kubernetes-models/package.json'), 'utf8')).version;
const sorted = Object.fromEntries(
  Object.keys(types)
    .sort()
    .map((k) => [k, types[k]]),
);
const out = { generatedBy: `scripts/gen-k8s-fields.mjs from kubernetes-models ${version}`, types: sorted };
writeFileSync(join(root, 'src', 'api', 'v1', 'k8s-fields.json'), `${JSON.stringify(out, null, 0).replace(/\},"/g, '},\n"')}\n`);
