// names.ts: Kubernetes' random name suffixes and metadata.generateName.
import { randomInt } from 'node:crypto';

// k8s.io/apimachinery/pkg/util/rand: no vowels (no words) and no look-alikes (0/o, 1/l/i, 3/e).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
// k8s.io/apiserver/pkg/storage/names: MaxGeneratedNameLength = maxNameLength(63) - randomLength(5).
const MAX_GENERATED_NAME_LENGTH = 63 - RANDOM_LENGTH;

/** randomSuffix returns 5 random characters from Kubernetes' util/rand alphabet. */
export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/**
 * generateName is the API server's SimpleNameGenerator: the base (truncated to 58 characters)
 * followed directly by a 5-character suffix; the base usually ends with '-' itself.
 */
export function generateName(base: string, suffix: () => string = randomSuffix): string {
  return base.slice(0, MAX_GENERATED_NAME_LENGTH) + suffix();
}
