// http.ts: one registry HTTP request with a timeout on every call (connect, headers and body), and
// bodies read with a size cap: manifests and configs are small, a registry answering with gigabytes
// must not be buffered.

/** OciError is a failed registry exchange; its message names the image and what went wrong. */
export class OciError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OciError';
  }
}

/** DEFAULT_TIMEOUT_MS bounds one request: an unreachable or silent registry fails in this time. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** MAX_DOCUMENT_BYTES caps a manifest, index, config or token answer (distribution caps manifests at 4 MiB). */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** RequestOptions are shared by every request of one lookup. */
export interface RequestOptions {
  timeoutMs?: number;
  /** signal cancels the request early (the run was cancelled). */
  signal?: AbortSignal;
  /** fetch is node's global fetch unless a test gives another. */
  fetch?: typeof fetch;
}

/** request performs one GET and returns the response with its body read (up to MAX_DOCUMENT_BYTES). */
export async function request(url: string, headers: Record<string, string>, options: RequestOptions): Promise<{ res: Response; body: Buffer }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    // Redirects are followed (blobs are often served from a CDN); an Authorization header is
    // dropped by fetch when the redirect leaves the origin.
    const res = await (options.fetch ?? fetch)(url, { headers, signal, redirect: 'follow' });
    const body = await readCapped(res, url);
    return { res, body };
  } catch (err) {
    if (err instanceof OciError) throw err;
    const e = err as Error & { cause?: Error & { code?: string } };
    if (timeout.aborted) throw new OciError(`GET ${url}: no answer within ${timeoutMs / 1000}s`);
    if (options.signal?.aborted) throw new OciError(`GET ${url}: cancelled`);
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new OciError(`GET ${url}: ${cause}`);
  }
}

async function readCapped(res: Response, url: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      await res.body.cancel().catch(() => {});
      throw new OciError(`GET ${url}: answer larger than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** registryErrorText renders a registry's JSON error body ({"errors":[{"code","message"}]}) like go-containerregistry does. */
export function registryErrorText(status: number, body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    const errors = (parsed.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean);
    if (errors.length > 0) return errors.join('; ');
  } catch {
    // not JSON: fall through to the status line.
  }
  return `unexpected status code ${status}`;
}
