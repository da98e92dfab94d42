import { InputError } from '@tidemark/core/errors';
import {
  listDeadLetters,
  type MessageSummary,
  queueRegion,
  redriveDeadLetters,
  summariseMessage,
} from '@tidemark/core/queue';
import type { Action } from '../command.js';
import type { ListOptions, RedriveOptions } from '../commands/dlq.js';
import { ExitCode } from '../exit-code.js';
import { table } from '../render/format.js';
import { printable } from '../render/printable.js';
import type { Session } from '../session.js';

/** `tidemark dlq list`. */
export const listLetters: Action<ListOptions> = async ({ session, options, io }) => {
  const dlqUrl = queueUrlFrom(options.dlqUrl, 'TIDEMARK_DLQ_URL', '--dlq-url', 'dead-letter queue');
  const letters = await listDeadLetters(await sqsFor(session, dlqUrl), dlqUrl, { max: options.max });
  const messages = letters.map(({ body, ...letter }) => ({
    ...letter,
    content: summariseMessage(body, `sqs:${letter.messageId}`),
  }));
  if (options.json) {
    io.out(JSON.stringify({ dlqUrl, messages }, null, 2));
    return ExitCode.OK;
  }
  io.out(printable(`${messages.length} dead messages in ${dlqUrl}`));
  const rows = messages.map((message) => [
    `  ${message.messageId}`,
    message.sentAt ?? '-',
    `${message.receiveCount ?? '-'}`,
    describeContent(message.content),
  ]);
  for (const line of table([['  MESSAGE', 'FIRST SENT', 'RECEIVES', 'CONTENT'], ...rows])) io.out(line);
  return ExitCode.OK;
};

/** `tidemark dlq redrive`. */
export const redriveLetters: Action<RedriveOptions> = async ({ session, options, io }) => {
  const dlqUrl = queueUrlFrom(options.dlqUrl, 'TIDEMARK_DLQ_URL', '--dlq-url', 'dead-letter queue');
  const queueUrl = queueUrlFrom(options.queueUrl, 'TIDEMARK_QUEUE_URL', '--queue-url', 'queue');
  const report = await redriveDeadLetters(await sqsFor(session, dlqUrl), {
    dlqUrl,
    queueUrl,
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  if (options.json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(printable(`${report.moved} messages moved from ${dlqUrl} to ${queueUrl}`));
    for (const failure of report.failed)
      io.out(`  not moved ${printable(`${failure.messageId}: ${failure.code} ${failure.message}`)}`);
    for (const failure of report.notDeleted)
      io.out(
        `  sent but not removed ${printable(failure.messageId)} (it will be delivered twice): ${printable(failure.code)}`,
      );
  }
  return report.failed.length > 0 ? ExitCode.FAILED : ExitCode.OK;
};

/** A queue URL from its option or environment variable; a usage error naming both when neither is set. */
function queueUrlFrom(option: string | undefined, variable: string, flag: string, what: string): string {
  const url = option ?? process.env[variable];
  if (!url) throw new InputError(`no ${what} URL: pass ${flag} or set ${variable}`);
  if (!URL.canParse(url)) throw new InputError(`${flag} ${url} is not a URL`);
  return url;
}

/** The SQS client of the queue's region (from its URL, else the selected region). */
async function sqsFor(session: Session, queueUrl: string) {
  return (await session.clients()).sqs(queueRegion(queueUrl) ?? session.regions()[0] ?? 'us-east-1');
}

/** What a dead message is, on one line. */
function describeContent(content: MessageSummary): string {
  switch (content.kind) {
    case 'unparseable':
      return `unparseable: ${content.reason}`;
    case 'work-item':
      return `work item ${content.item.sliceId}: ${content.item.type} in ${content.item.region} (baseline ${content.item.label})`;
    case 'events':
      return content.events
        .map((event) => {
          const name = event.cause?.eventName ?? 'event';
          if (event.skipped) return `${name}: skipped (${event.skipped.reason})`;
          return `${name} → ${event.resources.map((r) => `${r.type} ${r.id} (${r.region})`).join(', ')}`;
        })
        .join('; ');
  }
}
