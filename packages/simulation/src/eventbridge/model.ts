import type { LogConfig, RuleState, Tag, Target } from '@aws-sdk/client-eventbridge';
import type { AccountModel } from '../model.js';
import { MEDIA_BUCKET, seedDate } from '../seed-names.js';

/** The bus every account has in every region. */
export const DEFAULT_BUS = 'default';

/** An event bus ARN, `arn:aws:events:<region>:<account>:event-bus/<name>`: region, account and name. */
export const BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;

/** The bus name of an `EventBusName` parameter (a name or an ARN), the default bus when left out or empty. */
export function plainBusName(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_BUS;
  return BUS_ARN.exec(value)?.[3] ?? value;
}

/** The business's partner (a charter broker) allowed to put booking events on the default bus. */
export const PARTNER_ACCOUNT = '210987654321';

/** One rule of an event bus, in the SDK's own shapes where it has them. */
export interface SimRule {
  readonly name: string;
  readonly bus: string;
  readonly arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  /** The AWS service managing the rule, for rules it created. */
  readonly managedBy?: string;
  /** The account that created the rule. */
  readonly createdBy: string;
  /** By target id, in the order they were put. */
  readonly targets: Map<string, Target>;
  tags: Tag[];
}

/** One event bus of a region with its rules. */
export interface SimEventBus {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterArn?: string;
  /** Where the bus logs its events' delivery, and how much. */
  logConfig?: LogConfig;
  /** The resource policy document, absent when none was ever put. */
  policy?: object;
  readonly createdAt: Date;
  lastModifiedAt: Date;
  tags: Tag[];
  /** By rule name. */
  readonly rules: Map<string, SimRule>;
}

/** The seeded names, for tests. */
export interface EventBridgeSeed {
  /** The custom bus of booking events. */
  readonly bookingsBus: string;
  /** Rule names on the default bus: the nightly report schedule and the media upload pattern. */
  readonly nightlyReport: string;
  readonly bucketObjectCreated: string;
  /** The rule on {@link bookingsBus}. */
  readonly bookingConfirmed: string;
  /** The SQS queue the media upload rule sends to. */
  readonly mediaQueueArn: string;
}

/** A new or replaced rule, as `PutRule` takes it. */
export interface RuleSpec {
  readonly name: string;
  /** @default the default bus */
  readonly bus?: string;
  /** JSON text. */
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  /** @default ENABLED */
  readonly state?: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
}

/** The event buses and rules of the simulated account, in the home region. */
export class EventBridgeModel {
  /** By `<region>/<bus name>`. */
  readonly buses = new Map<string, SimEventBus>();
  readonly seed: EventBridgeSeed;
  readonly #model: AccountModel;

  constructor(model: AccountModel, generatedRules: number) {
    this.#model = model;
    this.seed = this.#seedBusiness();
    for (let n = 1; n <= generatedRules; n++) this.#seedGenerated(n);
  }

  /** The bus of a region, or `undefined`. */
  bus(region: string, name: string): SimEventBus | undefined {
    return this.buses.get(`${region}/${name}`);
  }

  /** The buses of a region, sorted by name. */
  busesOf(region: string): SimEventBus[] {
    return [...this.buses.values()]
      .filter((bus) => bus.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** The bus, or an error naming it (for the change methods; API handlers answer with AWS errors). */
  requireBus(name: string, region = this.#model.homeRegion): SimEventBus {
    const bus = this.bus(region, name);
    if (!bus) throw new Error(`no event bus ${name} in ${region} in the simulated account`);
    return bus;
  }

  /** The rule, or an error naming it. */
  requireRule(name: string, bus = DEFAULT_BUS): SimRule {
    const rule = this.requireBus(bus).rules.get(name);
    if (!rule) throw new Error(`no rule ${name} on event bus ${bus} in the simulated account`);
    return rule;
  }

  /** Creates a rule, or replaces the settings of an existing one (keeping its targets and tags), as `PutRule` does. */
  putRule(spec: RuleSpec): SimRule {
    const bus = this.requireBus(spec.bus ?? DEFAULT_BUS);
    const existing = bus.rules.get(spec.name);
    const rule: SimRule = {
      name: spec.name,
      bus: bus.name,
      arn: this.#ruleArn(bus, spec.name),
      ...(spec.eventPattern === undefined ? {} : { eventPattern: spec.eventPattern }),
      ...(spec.scheduleExpression === undefined ? {} : { scheduleExpression: spec.scheduleExpression }),
      state: spec.state ?? 'ENABLED',
      ...(spec.description === undefined ? {} : { description: spec.description }),
      ...(spec.roleArn === undefined ? {} : { roleArn: spec.roleArn }),
      createdBy: this.#model.accountId,
      targets: existing?.targets ?? new Map(),
      tags: existing?.tags ?? [],
    };
    bus.rules.set(rule.name, rule);
    return rule;
  }

  #bus(name: string, createdAt: Date, settings: Partial<SimEventBus> = {}): SimEventBus {
    const region = this.#model.homeRegion;
    const bus: SimEventBus = {
      name,
      region,
      arn: `arn:aws:events:${region}:${this.#model.accountId}:event-bus/${name}`,
      createdAt,
      lastModifiedAt: createdAt,
      tags: [],
      rules: new Map(),
      ...settings,
    };
    this.buses.set(`${region}/${name}`, bus);
    return bus;
  }

  #ruleArn(bus: SimEventBus, name: string): string {
    const path = bus.name === DEFAULT_BUS ? name : `${bus.name}/${name}`;
    return `arn:aws:events:${bus.region}:${this.#model.accountId}:rule/${path}`;
  }

  #seedBusiness(): EventBridgeSeed {
    const model = this.#model;
    const region = model.homeRegion;
    const account = model.accountId;
    const defaultBus = this.#bus(DEFAULT_BUS, seedDate('2023-02-14T18:03:52'));
    defaultBus.lastModifiedAt = seedDate('2025-04-09T10:22:17');
    defaultBus.policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'charter-broker-put-events',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` },
          Action: 'events:PutEvents',
          Resource: defaultBus.arn,
        },
      ],
    };
    const bookings = this.#bus('bookings', seedDate('2024-05-21T09:41:08'), {
      description: 'Booking lifecycle events from the sailjada.com booking API',
      deadLetterArn: `arn:aws:sqs:${region}:${account}:bookings-bus-dlq`,
      logConfig: { IncludeDetail: 'NONE', Level: 'ERROR' },
      tags: [{ Key: 'service', Value: 'booking-api' }],
    });
    bookings.lastModifiedAt = seedDate('2024-05-21T09:41:08');

    const nightly = this.putRule({
      name: 'nightly-report',
      scheduleExpression: 'cron(0 7 * * ? *)',
      description: 'Nightly bookings report, 07:00 UTC',
    });
    nightly.targets.set('booking-handler', {
      Id: 'booking-handler',
      Arn: model.functionArn('booking-handler'),
      Input: JSON.stringify({ action: 'nightly-report', recipients: ['ops@sailjada.com'] }),
    });
    nightly.tags = [{ Key: 'team', Value: 'operations' }];

    const mediaQueueArn = `arn:aws:sqs:${region}:${account}:media-ingest`;
    const uploads = this.putRule({
      name: 'bucket-object-created',
      eventPattern: JSON.stringify({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [MEDIA_BUCKET] } },
      }),
      description: `New uploads to ${MEDIA_BUCKET}`,
    });
    uploads.targets.set('media-ingest-queue', {
      Id: 'media-ingest-queue',
      Arn: mediaQueueArn,
      InputTransformer: {
        InputPathsMap: {
          bucket: '$.detail.bucket.name',
          key: '$.detail.object.key',
          size: '$.detail.object.size',
        },
        InputTemplate: '{"bucket": <bucket>, "key": <key>, "size": <size>}',
      },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: `arn:aws:sqs:${region}:${account}:media-ingest-dlq` },
    });

    const confirmed = this.putRule({
      name: 'booking-confirmed',
      bus: bookings.name,
      eventPattern: JSON.stringify({
        source: ['com.sailjada.bookings'],
        'detail-type': ['Booking Confirmed'],
      }),
      description: 'Send the confirmation email when a booking is confirmed',
    });
    confirmed.targets.set('email-sender', {
      Id: 'email-sender',
      Arn: model.functionArn('email-sender'),
      InputPath: '$.detail',
    });

    return {
      bookingsBus: bookings.name,
      nightlyReport: nightly.name,
      bucketObjectCreated: uploads.name,
      bookingConfirmed: confirmed.name,
      mediaQueueArn,
    };
  }

  /** `generated-rule-0001`… on the default bus: a schedule invoking a generated function, `fn-0001`…. */
  #seedGenerated(n: number): void {
    const suffix = String(n).padStart(4, '0');
    const rule = this.putRule({
      name: `generated-rule-${suffix}`,
      scheduleExpression: `rate(${(n % 59) + 1} minutes)`,
    });
    rule.targets.set('target-1', { Id: 'target-1', Arn: this.#model.functionArn(`fn-${suffix}`) });
  }
}
