// errors: FieldError, knative's apis.FieldError ported — user errors as values with field paths.
// A leaf module: it imports nothing of the project, so config, api and validation all build on it.
export * from './field-error.ts';
