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

// Kubernetes' name rules (k8s.io/apimachinery/pkg/util/validation/validation.go), written once.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** isDNS1123Label is IsDNS1123Label: at most 63 lower-case alphanumerics or '-', alphanumeric at both ends. */
export function isDNS1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** isDNS1123Subdomain is IsDNS1123Subdomain: dot-separated labels, at most 253 characters. */
export function isDNS1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}
