// duration: Go duration text ("1h30m") as Tekton reads and prints timeouts.
export * from './go-duration.ts';
