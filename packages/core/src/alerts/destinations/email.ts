import type { Alert } from '../types.js';
import { alertHeadline, alertText, fieldChangeText, moreChangesText } from './text.js';

/** SNS's limits on a subject: at most 100 characters. */
const SNS_SUBJECT_LIMIT = 100;

/** What an email (or an SNS message) about an alert says. */
export interface AlertMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * An SNS subject for the alert: its headline in printable ASCII (anything else as `?`), on one line, cut to 100
 * characters with `...`, as SNS requires.
 */
export function snsSubject(alert: Alert): string {
  const ascii = alertHeadline(alert).replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > SNS_SUBJECT_LIMIT ? `${ascii.slice(0, SNS_SUBJECT_LIMIT - 3)}...` : ascii;
}

/**
 * The alert as an email: the headline as subject, the text form as the text body, and the same in HTML (every
 * value escaped) as the HTML body. Pure.
 */
export function alertMessage(alert: Alert): AlertMessage {
  const more = moreChangesText(alert.moreChanges);
  const items = [
    ...alert.changes.map((change) => `<li><code>${escapeHtml(fieldChangeText(change))}</code></li>`),
    ...(more ? [`<li>${escapeHtml(more)}</li>`] : []),
  ];
  const who = [alert.actor, alert.principal].filter((part) => part !== undefined).join(' · ') || '(unknown)';
  const html = [
    `<p><strong>${escapeHtml(alertHeadline(alert))}</strong></p>`,
    `<p>Rule ${escapeHtml(alert.rule)}, by ${escapeHtml(who)}, changed at ${escapeHtml(alert.changedAt)}, captured at ${escapeHtml(alert.capturedAt)} (${escapeHtml(alert.cause.kind)})</p>`,
    ...(items.length > 0 ? [`<ul>${items.join('')}</ul>`] : []),
    `<p>See it: <code>${escapeHtml(alert.show)}</code></p>`,
  ].join('\n');
  return { subject: alertHeadline(alert), text: alertText(alert), html };
}
