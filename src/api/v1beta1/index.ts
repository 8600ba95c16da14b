// api/v1beta1: tekton.dev/v1beta1 schemas (v1 plus v1beta1's own fields) and conversion to and from v1.
export { v1beta1Schemas, CONTAINER_ONLY_FIELDS } from './schemas.ts';
export { convertToV1, type ConversionProblem } from './to-v1.ts';
export { toV1beta1 } from './from-v1.ts';
export { StepAction, StepActionSpec } from './stepaction.ts';
