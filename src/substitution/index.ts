// substitution: $(params...), $(context...), $(workspaces...), $(results...), $(steps...) in Tekton's fields.
export * from './scan.ts';
