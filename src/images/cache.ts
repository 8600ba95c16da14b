// cache.ts: registry answers kept in the state dir, one JSON file per image reference, so that a
// second run does not ask again. An answer for a digest never changes; one for a tag is kept for
// TAG_TTL_MS (tags move; Tekton itself re-asks for tags and caches digests only).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageConfigs } from '../oci/index.ts';

/** TAG_TTL_MS is how long a tag's answer is trusted. */
export const TAG_TTL_MS = 60 * 60 * 1000;

interface Entry extends ImageConfigs {
  reference: string;
  storedAt: string;
}

/** DiskCache stores ImageConfigs under dir. */
export class DiskCache {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(reference: string): ImageConfigs | undefined {
    try {
      const e = JSON.parse(readFileSync(this.file(reference), 'utf8')) as Entry;
      if (e.reference !== reference || typeof e.platforms !== 'object' || e.platforms === null) return undefined;
      const pinned = reference.includes('@');
      if (!pinned && this.now().getTime() - Date.parse(e.storedAt) > TAG_TTL_MS) return undefined;
      return { digest: e.digest, platforms: e.platforms };
    } catch {
      return undefined; // absent or unreadable: ask again.
    }
  }

  /** put writes atomically; a cache that cannot be written is only slower, never an error. */
  put(reference: string, configs: ImageConfigs): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const file = this.file(reference);
      const tmp = `${file}.${process.pid}.tmp`;
      const entry: Entry = { reference, digest: configs.digest, platforms: configs.platforms, storedAt: this.now().toISOString() };
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, file);
    } catch {
      // read-only or full state dir: the next run asks the registry again.
    }
  }

  private file(reference: string): string {
    return path.join(this.dir, `${createHash('sha256').update(reference).digest('hex')}.json`);
  }
}
