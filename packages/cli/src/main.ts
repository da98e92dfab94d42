import { InputError, SecretKeyError, StoreError, schemaIssues } from '@tidemark/core/errors';
import { ExitCode } from './exit-code.js';
import { type Io, processIo } from './io.js';
import { buildProgram, commanderExit } from './program.js';
import { printable } from './render/printable.js';

/**
 * Runs `tidemark` with `argv` (as in `process.argv`, node and script first) and returns the exit code.
 * Errors are reported on `io` as one clear line (and one more per problem a schema found), never as a stack trace.
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
    for (const line of errorLines(error)) io.err(printable(line));
    return error instanceof InputError ? ExitCode.USAGE : ExitCode.FAILED;
  }
}

/**
 * An error as people read it: `tidemark: ` and its message, with the cause of a store or key error and the name
 * of an error Tidemark did not raise; a schema's issues (of the error or its cause) one per line after it.
 */
function errorLines(error: unknown): string[] {
  if (error instanceof InputError) return [`tidemark: ${error.message}`];
  if (error instanceof StoreError || error instanceof SecretKeyError) {
    const issues = schemaIssues(error.cause);
    if (issues) return [`tidemark: ${error.message}:`, ...issues.map((issue) => `  ${issue}`)];
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return [`tidemark: ${error.message}${cause}`];
  }
  const issues = schemaIssues(error);
  if (issues) return ['tidemark: invalid value:', ...issues.map((issue) => `  ${issue}`)];
  return [`tidemark: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`];
}
