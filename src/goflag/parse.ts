// parse.ts: Go's flag.FlagSet.Parse loop: `-name`, `--name`, `-name=value`, `-name value` (not for
// booleans), stop at the first non-flag argument or after `--`; errors carry Go's text.

/** GoFlagKind tells the loop whether a flag takes the next argument as its value (every kind but bool). */
export type GoFlagKind = 'string' | 'bool' | 'uint' | 'duration' | 'list';

/** GoFlagSetter stores one flag's value; it returns Go's error text for a value it rejects. */
export type GoFlagSetter = (name: string, kind: GoFlagKind, value: string | undefined) => string | undefined;

/** GoFlagsResult is the arguments left after the flags, or Go's parse error (help: -h/-help was asked). */
export type GoFlagsResult = { positional: string[] } | { error: string; help?: boolean };

/** parseGoFlags walks args like flag.Parse, calling set for every flag named in kinds. */
export function parseGoFlags(args: string[], kinds: Record<string, GoFlagKind>, set: GoFlagSetter): GoFlagsResult {
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg.length < 2 || arg[0] !== '-') break;
    i++;
    if (arg === '--') break;
    const dashes = arg[1] === '-' ? 2 : 1;
    const body = arg.slice(dashes);
    if (body === '' || body[0] === '-' || body[0] === '=') return { error: `bad flag syntax: ${arg}` };
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    let value: string | undefined = eq < 0 ? undefined : body.slice(eq + 1);
    const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined;
    if (!kind && (name === 'h' || name === 'help')) return { error: 'flag: help requested', help: true };
    if (!kind) return { error: `flag provided but not defined: -${name}` };
    if (kind !== 'bool' && value === undefined) {
      if (i >= args.length) return { error: `flag needs an argument: -${name}` };
      value = args[i++];
    }
    const error = set(name, kind, value);
    if (error) return { error };
  }
  return { positional: args.slice(i) };
}

/** parseGoBool mirrors strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/**
 * parseGoUint mirrors strconv.ParseUint(s, 0, 64) as flag.UintVar uses it: base from the prefix
 * (0x, 0o or a leading 0, 0b), underscores only with a prefix; undefined when invalid.
 */
export function parseGoUint(text: string): number | undefined {
  let digits = text;
  let base = 10;
  if (/^0[xX]/.test(text)) [base, digits] = [16, text.slice(2)];
  else if (/^0[oO]/.test(text)) [base, digits] = [8, text.slice(2)];
  else if (/^0[bB]/.test(text)) [base, digits] = [2, text.slice(2)];
  else if (/^0./.test(text)) [base, digits] = [8, text.slice(1)];
  if (base !== 10) digits = digits.replace(/_(?=.)/g, '');
  const alphabet = '0123456789abcdef'.slice(0, base);
  if (digits === '' || [...digits.toLowerCase()].some((c) => !alphabet.includes(c))) return undefined;
  const value = BigInt(base === 10 ? digits : `0${'xob'[[16, 8, 2].indexOf(base)]}${digits}`);
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}
