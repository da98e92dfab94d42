import type { FieldChange } from '../../query/changes.js';
import type { Alert } from '../types.js';
import { changedBy, moreChangesText, SEALED_TEXT, shortValue } from './text.js';

/** A Block Kit text object. */
interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
}

/** The Block Kit blocks an alert is made of. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text: SlackText }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] };

/** What a Slack incoming webhook (or a compatible one: Mattermost, Discord's `/slack`) accepts. */
export interface SlackPayload {
  /** One-line fallback, shown in notifications. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack takes at most 50 blocks per message; the alert's other blocks need at most 6 of them. */
export const FIELD_BLOCK_LIMIT = 40;

/** Slack's longest header text. */
const HEADER_LIMIT = 150;

/**
 * Text from AWS (resource ids, values, principals) made inert in mrkdwn: `&`, `<` and `>` escaped as Slack
 * documents, so a bucket named `<!channel>` or `<https://evil|click>` is shown, never a mention or a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escaped text in a code span; a backtick inside it, which would end the span, is shown as `ˋ`. */
function code(text: string): string {
  return `\`${escapeMrkdwn(text).replaceAll('`', 'ˋ')}\``;
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

function fieldBlock(change: FieldChange): SlackBlock {
  const detail = change.sealed
    ? `_${SEALED_TEXT}_`
    : `${code(shortValue(change.before))} → ${code(shortValue(change.after))}`;
  return { type: 'section', text: mrkdwn(`${code(change.path)} ${change.change}: ${detail}`) };
}

function whoText(alert: Alert): string {
  if (alert.actor && alert.principal) return `*By* ${escapeMrkdwn(alert.actor)} (${code(alert.principal)})`;
  return `*By* ${escapeMrkdwn(changedBy(alert))}`;
}

/**
 * The Slack-compatible webhook payload of an alert: a one-line `text` fallback and Block Kit blocks saying what
 * changed (resource, kind, each field before → after, a sealed field only as changed), who, when, and the
 * `tidemark show` command. Everything that comes from AWS is escaped. Pure.
 *
 * @example
 * await fetch(url, { method: 'POST', body: JSON.stringify(slackPayload(alert)) });
 */
export function slackPayload(alert: Alert): SlackPayload {
  const { resource } = alert;
  const listed = alert.changes.slice(0, FIELD_BLOCK_LIMIT);
  const more = moreChangesText(alert.moreChanges + alert.changes.length - listed.length);
  const header = `[${alert.severity.toUpperCase()}] ${alert.title}`;
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: header.length > HEADER_LIMIT ? `${header.slice(0, HEADER_LIMIT - 1)}…` : header,
      },
    },
    {
      type: 'section',
      text: mrkdwn(
        `${code(resource.type)} ${code(resource.id)} *${alert.kind}* in ${escapeMrkdwn(resource.account)} / ${escapeMrkdwn(resource.region)} (rule ${code(alert.rule)})`,
      ),
    },
    ...listed.map(fieldBlock),
    ...(more ? [{ type: 'context' as const, elements: [mrkdwn(more)] }] : []),
    {
      type: 'context',
      elements: [
        mrkdwn(whoText(alert)),
        mrkdwn(`*Changed at* ${alert.changedAt} · *captured at* ${alert.capturedAt} (${alert.cause.kind})`),
      ],
    },
    { type: 'section', text: mrkdwn(`*See it:* ${code(alert.show)}`) },
  ];
  const text = escapeMrkdwn(
    `[${alert.severity}] ${alert.title}: ${resource.type} ${resource.id} ${alert.kind} by ${changedBy(alert)} (rule ${alert.rule})`,
  );
  return { text, blocks };
}
