#!/usr/bin/env node
// The `tidemark` command. Only the command line is parsed up front; each command loads what it needs.
import { main } from './main.js';

// `tidemark … | head`: when the reader stops reading, end quietly as Unix tools do, without a stack trace.
process.stdout.on('error', function quitOnClosedPipe(error: NodeJS.ErrnoException) {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await main(process.argv);
