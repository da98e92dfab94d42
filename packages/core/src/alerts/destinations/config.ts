import { z } from 'zod';

/** Hosts a webhook may be reached at over plain http: this machine only. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** An SNS topic ARN (`arn:aws:sns:eu-west-1:123456789012:alerts`, `.fifo` topics included). */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w.-]{1,256}$/;

/** An AWS region name (`eu-west-1`, `us-gov-west-1`). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Whether a webhook URL may be used: https anywhere, http only to this machine. The URL itself is never put in
 * the message (a Slack webhook's path is its credential): only its scheme and host.
 */
function webhookUrlProblem(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `webhook url must use https (http only to 127.0.0.1 or localhost), received ${url.protocol}//${url.host}`;
}

const webhookUrlSchema = z.string().superRefine((value, context) => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const problem = url ? webhookUrlProblem(url) : 'webhook url is not a url (expected https://host/path)';
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

const stdoutSchema = z.strictObject({
  type: z.literal('stdout'),
  /** `text`: a headline, the changed fields and the show command; `json`: one JSON line per alert. */
  format: z.enum(['text', 'json']).default('text'),
});

const webhookSchema = z.strictObject({
  type: z.literal('webhook'),
  /** https, or http to 127.0.0.1 / localhost. A secret for Slack: never shown in errors or outcomes. */
  url: webhookUrlSchema,
  /** Extra request headers (an `Authorization` token): never shown in errors or outcomes. */
  headers: z.record(z.string(), z.string()).optional(),
  /** How long one attempt may take. @default 10 */
  timeoutSeconds: z.number().positive().max(300).default(10),
});

const snsSchema = z.strictObject({
  type: z.literal('sns'),
  /** The topic published to; its region is the ARN's. */
  topicArn: z.string().regex(TOPIC_ARN, {
    error: (issue) =>
      `sns topicArn must be a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), received ${String(issue.input)}`,
  }),
});

const sesSchema = z.strictObject({
  type: z.literal('ses'),
  /** A verified SES identity (address or domain). */
  from: z.email(),
  to: z.array(z.email()).min(1),
  /** SES's region; the store's home region when absent. */
  region: z
    .string()
    .regex(REGION, {
      error: (issue) => `ses region must be a region name (eu-west-1), received ${String(issue.input)}`,
    })
    .optional(),
});

/**
 * One destination as written in the rules file (`destinations:` maps a name to one): stdout, a Slack-compatible
 * webhook, an SNS topic or SES email. A misspelt field is an error.
 *
 * @example
 * destinationConfigSchema.parse({ type: 'sns', topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' });
 */
export const destinationConfigSchema = z.discriminatedUnion('type', [
  stdoutSchema,
  webhookSchema,
  snsSchema,
  sesSchema,
]);

/** One destination's configuration, defaults applied. */
export type DestinationConfig = z.infer<typeof destinationConfigSchema>;
/** Each destination type's configuration. */
export type StdoutConfig = z.infer<typeof stdoutSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
export type SnsConfig = z.infer<typeof snsSchema>;
export type SesConfig = z.infer<typeof sesSchema>;
