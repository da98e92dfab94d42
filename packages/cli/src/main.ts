import { InputError, SecretKeyError, StoreError } from '@tidemark/core/errors';
import { ExitCode } from './exit-code.js';
import { type Io, processIo } from './io.js';
import { buildProgram, commanderExit } from './program.js';

/**
 * Runs `tidemark` with `argv` (as in `process.argv`, node and script first) and returns the exit code.
 * Errors are reported on `io` as one clear line, never as a stack trace.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code: number = ExitCode.OK;
  const program = buildProgram(io, (exitCode) => {
    code = exitCode;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    const commanderCode = commanderExit(error);
    if (commanderCode !== undefined) return commanderCode;
    if (error instanceof InputError) {
      io.err(`tidemark: ${error.message}`);
      return ExitCode.USAGE;
    }
    if (error instanceof StoreError || error instanceof SecretKeyError) {
      io.err(`tidemark: ${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`);
      return ExitCode.FAILED;
    }
    io.err(`tidemark: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return ExitCode.FAILED;
  }
}
