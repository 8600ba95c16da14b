// lookup.ts: what an image runs, asked in order: podman's local storage (when podman exists), the
// state dir's cache of registry answers, the image's registry, and, for the host executor only,
// the table of common base images (host-table.ts). Each image is asked once per process.
import { RegistryClient, hostPlatform, lookupImageConfigs, type ImageConfigs } from '../oci/index.ts';
import { DiskCache } from './cache.ts';
import { hostTableCommand } from './host-table.ts';
import { hasPodman, inspectLocalImage } from './podman-storage.ts';

/** ImageSource says where an answer came from. */
export type ImageSource = 'podman' | 'cache' | 'registry' | 'table';

/** LookupResult is an image's commands, or why they could not be found (naming the image). */
export type LookupResult = { ok: true; configs: ImageConfigs; source: ImageSource } | { ok: false; error: string };

/** ImageLookupOptions configure one lookup (one per run). */
export interface ImageLookupOptions {
  /** cacheDir keeps registry answers between runs; without it they are kept in memory only. */
  cacheDir?: string;
  /** imageMap rewrites images before looking them up (`--image-map`): the image that will run is the one asked about. */
  imageMap?: Record<string, string>;
  /** hostTable enables the table of common images as the last resort (the host executor). */
  hostTable?: boolean;
  /** podman says whether to ask podman's storage; default: when podman is on PATH. */
  podman?: boolean;
  registry?: RegistryClient;
  /** registryTimeoutMs bounds each registry request (default oci's DEFAULT_TIMEOUT_MS). */
  registryTimeoutMs?: number;
}

/** ImageLookup finds the ENTRYPOINT/CMD of images; it is shared by every TaskRun of a run. */
export class ImageLookup {
  private readonly answers = new Map<string, Promise<LookupResult>>();
  private readonly cache: DiskCache | undefined;
  private readonly registry: RegistryClient;
  private readonly podman: boolean;

  constructor(private readonly options: ImageLookupOptions = {}) {
    this.cache = options.cacheDir ? new DiskCache(options.cacheDir) : undefined;
    this.registry = options.registry ?? new RegistryClient({ timeoutMs: options.registryTimeoutMs });
    this.podman = options.podman ?? hasPodman();
  }

  /**
   * get returns the image's commands by platform. Answers are shared (a TaskRun's steps, a
   * PipelineRun's tasks often name one image), so a caller's signal only stops its own wait.
   */
  get(image: string, signal?: AbortSignal): Promise<LookupResult> {
    let answer = this.answers.get(image);
    if (!answer) {
      answer = this.ask(image);
      this.answers.set(image, answer);
      answer.catch(() => this.answers.delete(image));
    }
    if (!signal) return answer;
    if (signal.aborted) return Promise.resolve(cancelled(image));
    return new Promise((resolve, reject) => {
      const onAbort = () => resolve(cancelled(image));
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async ask(image: string): Promise<LookupResult> {
    const mapped = this.options.imageMap?.[image] ?? image;
    const tried: string[] = [];
    if (this.podman) {
      const local = await inspectLocalImage(mapped);
      if (local) return { ok: true, configs: local, source: 'podman' };
      tried.push("it is not in podman's local storage");
    }
    const cached = this.cache?.get(mapped);
    if (cached) return { ok: true, configs: cached, source: 'cache' };
    const remote = await lookupImageConfigs(this.registry, mapped);
    if (remote.ok) {
      this.cache?.put(mapped, remote.configs);
      return { ok: true, configs: remote.configs, source: 'registry' };
    }
    tried.push(remote.error.replace(/^image "[^"]*": /, 'its registry answered: '));
    if (this.options.hostTable) {
      const command = hostTableCommand(mapped) ?? hostTableCommand(image);
      // The table's commands are the host's own: they run on whatever platform this is.
      if (command) return { ok: true, configs: { digest: '', platforms: { [hostPlatform()]: command } }, source: 'table' };
      tried.push("it is not in the host executor's table of common images");
    }
    const named = mapped === image ? JSON.stringify(image) : `${JSON.stringify(mapped)} (mapped from ${JSON.stringify(image)})`;
    return { ok: false, error: `could not find the ENTRYPOINT/CMD of image ${named}: ${tried.join('; ')}` };
  }
}

function cancelled(image: string): LookupResult {
  return { ok: false, error: `the lookup of image ${JSON.stringify(image)} was cancelled` };
}
