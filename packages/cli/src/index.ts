export { ExitCode } from './exit-code.js';
export type { Io } from './io.js';
export { main } from './main.js';
