// Loaded with `node --import` (through NODE_OPTIONS): appends the URL of every module the process loads, one a
// line, to the file named by TIDEMARK_MODULE_LOG, so a test can tell what a command loaded.
import { register } from 'node:module';

register(new URL('./module-log-hooks.mjs', import.meta.url));
