import { z } from 'zod';
import { CauseKind } from '../constants.js';
import { parseAge } from '../query/time.js';
import { NAMED_PREDICATES } from './predicates.js';
import { SEVERITIES } from './types.js';

/** Days of the week as rules write them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Causes a rule can match: what made Tidemark append the version (`drift-check`: `diff --to live --capture`). */
export const RULE_CAUSES = [
  CauseKind.EVENT,
  CauseKind.RECONCILE,
  CauseKind.BASELINE,
  'drift-check',
  CauseKind.RESTORE,
] as const;
export type RuleCause = (typeof RULE_CAUSES)[number];

/** The causes a rule matches when it names none: every change, not the first capture of a resource. */
export const DEFAULT_RULE_CAUSES: readonly RuleCause[] = [
  CauseKind.EVENT,
  CauseKind.RECONCILE,
  'drift-check',
];

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a name of lower-case letters, digits and dashes');
const globs = z.array(z.string().min(1)).min(1);

const duration = z.string().transform((text, context) => {
  const ms = parseAge(text);
  if (ms === undefined) {
    context.addIssue({ code: 'custom', message: 'expected a duration such as 30m, 1h or 1d' });
    return z.NEVER;
  }
  return ms;
});

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as UTC or Europe/Berlin' },
);

const clock = '(?:[01]\\d|2[0-3]):[0-5]\\d|24:00';
const hours = z
  .string()
  .regex(
    new RegExp(`^(${clock})-(${clock})$`),
    'expected hours such as 09:00-17:30 (22:00-06:00 spans midnight)',
  )
  .refine((text) => text.split('-')[0] !== text.split('-')[1], {
    message: 'expected hours that are not empty',
  });

/** A change window: the days and hours (in a time zone) when changes are expected. */
export const changeWindowSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
  hours: hours.default('09:00-17:00'),
  timeZone: timeZone.default('UTC'),
});
export type ChangeWindow = z.output<typeof changeWindowSchema>;

/**
 * A condition on the changed fields: a `path` glob over dot-separated field paths (`Policy`,
 * `Configuration.Environment.Variables.*`) that a changed field must fall under, and optionally what the value
 * under it must do: `becomes` one of the named predicates (was not, is now), `contains` a value it did not
 * before, change `from` / `to` one of the listed values, or be a `sealed` secret.
 */
export const fieldConditionSchema = z.strictObject({
  path: z.string().min(1),
  becomes: z.enum(Object.keys(NAMED_PREDICATES) as [string, ...string[]]).optional(),
  contains: z.string().optional(),
  from: z
    .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .min(1)
    .optional(),
  to: z
    .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .min(1)
    .optional(),
  sealed: z.literal(true).optional(),
});
export type FieldCondition = z.output<typeof fieldConditionSchema>;

/** What a rule matches; every condition given must hold (fields: any one of them). */
export const ruleMatchSchema = z.strictObject({
  /** `Type:id` globs (`AWS::S3::Bucket:*`, `AWS::Lambda::Function:booking-*`). */
  resources: globs.optional(),
  kinds: z
    .array(z.enum(['created', 'changed', 'deleted']))
    .min(1)
    .optional(),
  /** @default event, reconcile and drift-check: every change, not a resource's first capture */
  causes: z.array(z.enum(RULE_CAUSES)).min(1).optional(),
  fields: z.array(fieldConditionSchema).min(1).optional(),
  /**
   * Principal and actor globs: `allow` lists who is expected (never fires for them), `deny` who alone fires.
   * A change no event names a principal for (silent drift), or only an account id (an S3 notification's
   * requester), matches neither list.
   */
  principals: z
    .strictObject({ allow: globs.optional(), deny: globs.optional() })
    .refine((p) => p.allow ?? p.deny, { message: 'expected allow or deny' })
    .optional(),
  /** Fires only for changes made `outside` (or `inside`) the change window; `settings` for the file's own. */
  window: z
    .strictObject({
      when: z.enum(['outside', 'inside']).default('outside'),
      window: z.union([z.literal('settings'), changeWindowSchema]).default('settings'),
    })
    .optional(),
});
export type RuleMatch = z.output<typeof ruleMatchSchema>;

const muteSchema = z.strictObject({
  until: z.iso.datetime({ offset: true }),
  reason: z.string().min(1),
});

/** One rule as written in the file. A rule named like a shipped default without `match` adjusts that default. */
export const ruleSchema = z.strictObject({
  name,
  description: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  match: ruleMatchSchema.optional(),
  /** Destination names; @default the file's `settings.destinations` */
  destinations: z.array(name).min(1).optional(),
  /** At most one alert per rule and resource within this window (`1h`); @default every change alerts once */
  dedup: duration.optional(),
  /** A temporary mute, until a time, with the reason. */
  mute: muteSchema.optional(),
  /** `false` turns the rule (a shipped default) off. */
  enabled: z.boolean().default(true),
});
export type RuleSpec = z.output<typeof ruleSchema>;

/** Settings the shipped default rules read. */
export const ruleSettingsSchema = z.strictObject({
  /** Principals whose changes are expected (the deploy roles). */
  deployPrincipals: z
    .array(z.string().min(1))
    .default([
      'arn:aws:iam::*:role/*deploy*',
      'arn:aws:sts::*:assumed-role/*deploy*/*',
      'arn:aws:iam::*:role/cdk-*',
      'arn:aws:sts::*:assumed-role/cdk-*/*',
      '*.amazonaws.com',
    ]),
  /** Resources whose deletion always alerts, as `Type:id` globs. */
  protected: z
    .array(z.string().min(1))
    .default([
      'AWS::S3::Bucket:*',
      'AWS::Route53::HostedZone:*',
      'AWS::DynamoDB::Table:*',
      'AWS::CloudFront::Distribution:*',
      'AWS::CertificateManager::Certificate:*',
    ]),
  changeWindow: changeWindowSchema.default({
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    hours: '09:00-17:00',
    timeZone: 'UTC',
  }),
  /**
   * Principals Tidemark itself runs as (the deployed consumer's role, the user who restores): their calls that
   * carry Tidemark's user agent never alert. @default none
   */
  tidemarkPrincipals: z.array(z.string().min(1)).default([]),
  /** Where rules without destinations of their own deliver. */
  destinations: z.array(name).min(1).default(['stdout']),
});
export type RuleSettings = z.output<typeof ruleSettingsSchema>;
