export { ExitCode } from './exit-code.js';
export type { ByteSink, Io } from './io.js';
export { main } from './main.js';
