// zod-config.ts: zod's settings for the CLI, imported first by main.ts because zod reads them
// when a schema is built, and src/api builds its schemas as its modules load.
// jitless: zod would otherwise generate each object schema's parser with `new Function` on its
// first use, which costs more than it saves in a process that parses a few objects once (the
// 1-step `tektite run` decode: ~15 → ~5 ms of CPU), and code made that way is never in the
// bundle's V8 code cache. Parsing is the same either way (zod's fast path is an optimisation).
import { z } from 'zod';

z.config({ jitless: true });
