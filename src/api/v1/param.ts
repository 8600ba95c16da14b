// param.ts: ParamSpec, Param and ParamValue (string | array | object), as in Tekton's param_types.go.
import { z } from 'zod';

/**
 * goJSONText turns a non-string YAML scalar into the text Go's encoding/json would give it:
 * Tekton's ParamValue.UnmarshalJSON keeps `true`/`511` as the strings "true"/"511".
 */
export function goJSONText(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (v === null) return '';
  if (Array.isArray(v)) return v.map(goJSONText);
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, goJSONText(x)]));
  }
  return v;
}

/** ParamValue is a string, an array of strings, or an object of strings. */
export const ParamValue = z.preprocess(goJSONText, z.union([z.string(), z.array(z.string()), z.record(z.string(), z.string())]));
export type ParamValue = string | string[] | Record<string, string>;

export const ParamType = z.enum(['string', 'array', 'object']);
export type ParamType = z.infer<typeof ParamType>;

export const PropertySpec = z.strictObject({ type: ParamType.optional() });

/** ParamSpec declares a Task or Pipeline parameter. */
export const ParamSpec = z.strictObject({
  name: z.string(),
  type: ParamType.optional(),
  description: z.string().optional(),
  properties: z.record(z.string(), PropertySpec).optional(),
  default: ParamValue.optional(),
  enum: z.array(z.string()).optional(),
});
export type ParamSpec = z.infer<typeof ParamSpec>;

/** Param is a name/value pair supplied by a run or a PipelineTask. */
export const Param = z.strictObject({ name: z.string(), value: ParamValue });
export type Param = z.infer<typeof Param>;
