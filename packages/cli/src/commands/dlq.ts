import { Command, InvalidArgumentError } from 'commander';
import { type ExitSink, handle } from '../command.js';
import type { Io } from '../io.js';

/** Options of `tidemark dlq list`. */
export interface ListOptions {
  dlqUrl?: string;
  max: number;
}

/** Options of `tidemark dlq redrive`. */
export interface RedriveOptions {
  dlqUrl?: string;
  queueUrl?: string;
  max?: number;
}

/** `tidemark dlq list|redrive`: the messages the deployed consumer gave up on, and sending them back. */
export function dlqCommand(io: Io, exit: ExitSink): Command {
  const list = new Command('list')
    .description('show the messages of the dead-letter queue without removing them')
    .option('--dlq-url <url>', 'dead-letter queue URL (default: $TIDEMARK_DLQ_URL)')
    .option('--max <n>', 'show at most this many messages', positiveInteger, 100)
    .option('--json', 'print as JSON: { dlqUrl, messages: [{ messageId, sentAt, receiveCount, content }] }');
  handle<ListOptions>(list, io, exit, async () => (await import('../actions/dlq.js')).listLetters);

  const redrive = new Command('redrive')
    .description('send the messages of the dead-letter queue back to the queue, then remove them from it')
    .option('--dlq-url <url>', 'dead-letter queue URL (default: $TIDEMARK_DLQ_URL)')
    .option('--queue-url <url>', 'queue to send them to (default: $TIDEMARK_QUEUE_URL)')
    .option('--max <n>', 'move at most this many messages (default: all)', positiveInteger)
    .option('--json', 'print as JSON: RedriveReport');
  handle<RedriveOptions>(redrive, io, exit, async () => (await import('../actions/dlq.js')).redriveLetters);

  return new Command('dlq')
    .description(
      "the deployed consumer's dead-letter queue (SQS; --endpoint-url or AWS_ENDPOINT_URL_SQS for emulators)",
    )
    .addCommand(list)
    .addCommand(redrive);
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError(`expected a positive integer, received ${value}`);
  return number;
}
