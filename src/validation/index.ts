// validation: FieldError (knative's, with Tekton's messages) and one validator per kind; feature gates.
export * from './field-error.ts';
