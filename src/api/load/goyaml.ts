// goyaml.ts: how Kubernetes resolves a YAML scalar — a port of go-yaml v2's resolve.go (the fork
// sigs.k8s.io/yaml and so kubectl use: go.yaml.in/yaml/v2), shared by the fast and the full path.

/** ScalarTag is the short name of a YAML core tag a plain scalar can resolve to. */
export type ScalarTag = 'null' | 'bool' | 'int' | 'float' | 'str';

export interface Resolved {
  tag: ScalarTag;
  value: unknown;
}

// resolve.go's resolveMap: exactly these spellings, nothing case-folded (`tRUE` is a string).
const MAP = new Map<string, Resolved>();
for (const [tag, value, words] of [
  ['bool', true, 'y Y yes Yes YES true True TRUE on On ON'],
  ['bool', false, 'n N no No NO false False FALSE off Off OFF'],
  ['null', null, '~ null Null NULL'],
  ['float', NaN, '.nan .NaN .NAN'],
  ['float', Infinity, '.inf .Inf .INF +.inf +.Inf +.INF'],
  ['float', -Infinity, '-.inf -.Inf -.INF'],
] as const) {
  for (const w of words.split(' ')) MAP.set(w, { tag, value });
}
MAP.set('', { tag: 'null', value: null });

// resolve.go's resolveTable: the first character decides what a scalar may be.
function hint(c: string): 'S' | 'D' | 'M' | '.' | undefined {
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  return c === '.' ? '.' : undefined;
}

const STR = (value: string): Resolved => ({ tag: 'str', value });

/**
 * resolvePlain is go-yaml v2's resolve("", s) for a plain (unquoted, untagged) scalar. Timestamps
 * stay strings (decoding into interface{} keeps their text) and there are no sexagesimals; `.`,
 * `-.`, `.e3` are strings (strconv.ParseFloat rejects them); `0o17`, `0X1F`, `0B11` are ints.
 */
export function resolvePlain(s: string): Resolved {
  const h = s === '' ? 'M' : hint(s[0]);
  if (!h) return STR(s);
  const known = MAP.get(s);
  if (known) return known;
  if (h === 'M') return STR(s);
  if (h === '.') {
    const f = parseGoFloat(s);
    return f === undefined ? STR(s) : { tag: 'float', value: f };
  }
  const plain = s.replaceAll('_', '');
  const int = parseGoInt(plain, 0);
  if (int !== undefined) return { tag: 'int', value: int };
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { tag: 'float', value: f }; // ParseFloat's ErrRange otherwise
  }
  // resolve.go's own `0b` branch: strconv.ParseInt(plain[2:], 2) also takes a sign after the prefix.
  if (plain.startsWith('0b')) {
    const v = parseGoInt(plain.slice(2), 2);
    if (v !== undefined) return { tag: 'int', value: v };
  } else if (plain.startsWith('-0b')) {
    const v = parseGoInt(`-${plain.slice(3)}`, 2);
    if (v !== undefined) return { tag: 'int', value: v };
  }
  return STR(s);
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

// strconv.ParseInt(s, base, 64), falling back to ParseUint for values above int64 (as resolve.go
// does); base 0 reads Go's prefixes 0x/0X, 0o/0O, 0b/0B and a leading 0 as octal.
function parseGoInt(s: string, base: 0 | 2): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(s)!;
  const [sign, body] = [m[1], m[2]];
  let digits = body;
  let radix = base || 10;
  if (base === 0) {
    const prefix = /^0([xXoObB])/.exec(body);
    if (prefix) {
      radix = { x: 16, o: 8, b: 2 }[prefix[1].toLowerCase() as 'x' | 'o' | 'b'];
      digits = body.slice(2);
    } else if (body.length > 1 && body[0] === '0') {
      radix = 8;
      digits = body.slice(1);
    }
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix as 2 | 8 | 10 | 16];
  if (!valid.test(digits)) return undefined;
  const big = [...digits.toLowerCase()].reduce((acc, d) => acc * BigInt(radix) + BigInt(parseInt(d, 16)), 0n);
  const value = sign === '-' ? -big : big;
  if (value < INT64_MIN || value > UINT64_MAX || (value > 2n ** 63n - 1n && sign !== '')) return undefined;
  return Number(value);
}

// strconv.ParseFloat for what resolve.go hands it: text starting with `.` (`.5`, `.5e3`, `.5_0`).
function parseGoFloat(s: string): number | undefined {
  if (!underscoreOK(s)) return undefined;
  const plain = s.replaceAll('_', '');
  if (!/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(plain)) return undefined;
  const f = Number(plain);
  return Number.isFinite(f) ? f : undefined;
}

// strconv's underscoreOK: an underscore only between digits.
function underscoreOK(s: string): boolean {
  let saw = '^';
  for (const c of s.replace(/^[-+]/, '')) {
    if (c >= '0' && c <= '9') saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/**
 * resolveTagged is go-yaml v2's resolve(tag, s) for an explicitly tagged scalar (`!!int "12"`):
 * the value, or the error go-yaml fails with. `!!float` takes ints; `!!str` takes anything.
 */
export function resolveTagged(tag: ScalarTag | 'timestamp', s: string): { value: unknown } | { error: string } {
  if (tag === 'str') return { value: s };
  if (tag === 'timestamp') {
    return isGoTimestamp(s) ? { value: s } : { error: `cannot decode ${shortTag(resolvePlain(s).tag)} \`${s}\` as a !!timestamp` };
  }
  // With a tag other than !!timestamp, go-yaml does not try the timestamp formats.
  const r = resolvePlain(s);
  if (r.tag === tag) return { value: r.value };
  if (tag === 'float' && r.tag === 'int') return { value: r.value };
  return { error: `cannot decode ${shortTag(r.tag)} \`${s}\` as a !!${tag}` };
}

const shortTag = (tag: ScalarTag) => `!!${tag}`;

/** decodeBinary is go-yaml v2's `!!binary`: standard base64 (line breaks ignored) decoded to a string. */
export function decodeBinary(s: string): { value: string } | { error: string } {
  const b64 = s.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) {
    return { error: '!!binary value contains invalid base64 data' };
  }
  // Go keeps the bytes; encoding/json then writes invalid UTF-8 as U+FFFD, as toString does.
  return { value: Buffer.from(b64, 'base64').toString('utf8') };
}

// resolve.go's parseTimestamp: YYYY-M-D, optionally with a time (T/t and a zone, or a space and none).
function isGoTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2})|( )(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?)?$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [h, min, sec] = [m[5] ?? m[9] ?? '0', m[6] ?? m[10] ?? '0', m[7] ?? m[11] ?? '0'].map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= days && h < 24 && min < 60 && sec < 60;
}

/**
 * unsupportedJSON finds what sigs.k8s.io/yaml's json.Marshal refuses: NaN and ±Inf (`.nan`, `.inf`) have
 * no JSON form, so kubectl rejects the whole document ("json: unsupported value: NaN").
 */
export function unsupportedJSON(value: unknown, path = ''): { path: string; message: string } | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    const text = Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
    return { path, message: `error converting YAML to JSON: json: unsupported value: ${text}` };
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsupportedJSON(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const found = unsupportedJSON(v, path ? `${path}.${k}` : k);
    if (found) return found;
  }
  return undefined;
}

const MERGE = '<<';

/**
 * applyMerges does go-yaml v2's `<<` merge keys (decode.go mapping/merge) on a decoded value: a
 * merge sets its mapping's keys where it stands, so it overrides keys written before it and keys
 * written after it override it; of a list of mappings, earlier ones win. Returns the problem
 * go-yaml fails with when a merge value is not a mapping or a list of mappings.
 */
export function applyMerges(value: unknown, path = ''): { value: unknown } | { path: string; message: string } {
  if (value === null || typeof value !== 'object') return { value };
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = applyMerges(value[i], `${path}[${i}]`);
      if (!('value' in r)) return r;
      out.push(r.value);
    }
    return { value: out };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    const r = applyMerges(v, at);
    if (!('value' in r)) return r;
    if (k !== MERGE) {
      setKey(out, k, r.value);
      continue;
    }
    const sources = Array.isArray(r.value) ? [...r.value].reverse() : [r.value];
    if (!sources.length && Array.isArray(r.value)) continue;
    for (const src of sources) {
      if (src === null || typeof src !== 'object' || Array.isArray(src)) {
        return { path: at, message: 'map merge requires map or sequence of maps as the value' };
      }
      for (const [mk, mv] of Object.entries(src)) setKey(out, mk, mv);
    }
  }
  return { value: out };
}

/** hasMergeKey is a cheap check that a file may hold `<<` keys at all. */
export function hasMergeKey(text: string): boolean {
  return text.includes(MERGE);
}

// A plain assignment of `__proto__` would set the prototype instead of a key.
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
