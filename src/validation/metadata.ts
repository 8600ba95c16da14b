// metadata.ts: validate.ObjectMetadata (pkg/apis/validate/metadata.go): the object's name.
import { isDNS1123Subdomain, type ObjectMeta } from '../api/index.ts';
import { FieldError } from '../errors/index.ts';

/**
 * validateObjectMetadata checks metadata.name as Tekton does (a DNS-1123 subdomain of at most 63
 * characters); paths are relative to `metadata`. A name still to be generated is not checked.
 */
export function validateObjectMetadata(meta: ObjectMeta): FieldError | undefined {
  const name = meta.name;
  if (!name) return undefined;
  if (!isDNS1123Subdomain(name)) {
    return FieldError.of(`invalid resource name ${JSON.stringify(name)}: must be a valid DNS label`, ['name']);
  }
  if (name.length > 63) return FieldError.of('Invalid resource name: length must be no more than 63 characters', ['name']);
  return undefined;
}
