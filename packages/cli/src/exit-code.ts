/** Exit codes of the `tidemark` command. */
export const ExitCode = {
  OK: 0,
  /** The command ran and found something wrong (verify found problems, nothing could be captured). */
  FAILED: 1,
  /** The command line or an argument is invalid. */
  USAGE: 2,
} as const;
