// auth.ts: registry authentication as the distribution token spec has it: a request answered 401
// with `WWW-Authenticate: Bearer realm=...,service=...,scope=...` is retried with a token GET from
// the realm (anonymously, or with Basic credentials when some are known). Tokens are kept per
// registry and scope for the life of one client.
import { OciError, request, type RequestOptions } from './http.ts';

/** Credentials for one registry (a Docker config's auths entry, a pull secret). */
export interface Credentials {
  username: string;
  password: string;
}

/** Challenge is a parsed WWW-Authenticate header. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** parseChallenge reads `Bearer realm="...",service="...",scope="..."` (quoted or bare values). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/g;
  for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme: m[1].toLowerCase(), params };
}

/** TokenSource fetches and remembers bearer tokens. */
export class TokenSource {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(private readonly credentials?: (registry: string) => Credentials | undefined) {}

  /** authorization returns the Authorization header for a challenge, fetching a token if needed. */
  async authorization(registry: string, challenge: Challenge, repository: string, image: string, options: RequestOptions): Promise<string> {
    const creds = this.credentials?.(registry);
    if (challenge.scheme === 'basic') {
      if (!creds) throw new OciError(`registry ${registry} asks for a username and password, and none is configured for ${image}`, 401);
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer') throw new OciError(`registry ${registry} asks for unsupported authentication ${JSON.stringify(challenge.scheme)}`, 401);
    const realm = challenge.params.realm;
    if (!realm) throw new OciError(`registry ${registry} asks for a bearer token but names no realm`, 401);
    const scope = challenge.params.scope ?? `repository:${repository}:pull`;
    const key = `${registry} ${scope}`;
    let token = this.tokens.get(key);
    if (!token) {
      token = fetchToken(realm, challenge.params.service, scope, creds, options);
      this.tokens.set(key, token);
      token.catch(() => this.tokens.delete(key));
    }
    return `Bearer ${await token}`;
  }
}

async function fetchToken(realm: string, service: string | undefined, scope: string, creds: Credentials | undefined, options: RequestOptions): Promise<string> {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new OciError(`the token realm ${JSON.stringify(realm)} is not a URL`);
  }
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', scope);
  const headers: Record<string, string> = {};
  if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const { res, body } = await request(url.toString(), headers, options);
  if (!res.ok) throw new OciError(`token request to ${url.origin}${url.pathname} refused: ${res.status} ${res.statusText}`.trim(), res.status);
  let parsed: { token?: string; access_token?: string };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
  } catch {
    throw new OciError(`token answer from ${url.origin}${url.pathname} is not JSON`);
  }
  const token = parsed.token ?? parsed.access_token;
  if (!token) throw new OciError(`token answer from ${url.origin}${url.pathname} has no token`);
  return token;
}
