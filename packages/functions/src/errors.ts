import { TidemarkError, type UnsentWorkItem } from '@tidemark/core';

/** The function's environment is missing a setting or holds an invalid one. */
export class ConfigurationError extends TidemarkError {
  /** Every problem found, one per setting. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid environment: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}

/** One queue message could not be processed: it is reported as a batch item failure and received again. */
export class MessageFailedError extends TidemarkError {
  readonly messageId: string;
  constructor(messageId: string, reason: string) {
    super(`message ${messageId}: ${reason}`);
    this.name = 'MessageFailedError';
    this.messageId = messageId;
  }
}

/** Work items a slice spawned could not all be put on the queue; the slice is received again. */
export class WorkItemsUnsentError extends TidemarkError {
  readonly unsent: readonly UnsentWorkItem[];
  constructor(unsent: readonly UnsentWorkItem[]) {
    const [first] = unsent;
    super(
      `${unsent.length} work items could not be sent${first ? ` (${first.code}: ${first.message})` : ''}`,
    );
    this.name = 'WorkItemsUnsentError';
    this.unsent = unsent;
  }
}
