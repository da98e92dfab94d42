import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../canonical/canonicalise.js';
import { StoreError } from '../errors.js';
import type { RecordAuthenticator } from '../store/authenticator.js';
import type { StoreBackend } from '../store/backend.js';
import { resourceKey, StoreLayout } from '../store/layout.js';
import { hasValidMacIn, signRecord } from '../store/signing.js';
import type { Json } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import { type Alert, type DeliveryOutcome, SEVERITIES } from './types.js';

const DELIVERIES_SUFFIX = '.deliveries.json';

const alertRecordSchema = z.object({
  schema: z.literal(1),
  alert: z
    .object({
      key: z.string().regex(/^[0-9a-f]{32}$/),
      rule: z.string(),
      severity: z.enum(SEVERITIES),
      resource: z.object({ account: z.string(), region: z.string(), type: z.string(), id: z.string() }),
      capturedAt: z.iso.datetime(),
      firedAt: z.iso.datetime(),
    })
    .loose(),
  mac: z.string().optional(),
});

const deliveriesRecordSchema = z.object({
  schema: z.literal(1),
  key: z.string(),
  deliveries: z.array(
    z.object({
      destination: z.string(),
      status: z.enum(['delivered', 'failed']),
      attempts: z.number().int(),
      at: z.string(),
      error: z.string().optional(),
    }),
  ),
  mac: z.string().optional(),
});

/** An alert as the store holds it, with where it was delivered (absent while, or if never, recorded). */
export interface StoredAlert {
  readonly alert: Alert;
  readonly deliveries?: readonly DeliveryOutcome[];
}

/** The dedup key of a rule firing on a version: the same for the same rule and version, whoever captures it. */
export function dedupKey(rule: string, version: string): string {
  return sha256Hex(`${rule}\n${version}`).slice(0, 32);
}

/** Where the capture time of a rule's latest alert on a resource is kept, for dedup windows. */
function lastFiredKey(rule: string, resource: ResourceRef): string {
  return `${StoreLayout.ALERTS}${WINDOWS_FOLDER}${sha256Hex(`${rule}\n${resourceKey(resource)}`).slice(0, 32)}.json`;
}

/** Under `alerts/`: the latest alert of each rule on each resource (mutable), beside the day folders. */
const WINDOWS_FOLDER = 'windows/';

const lastFiredSchema = z.object({
  schema: z.literal(1),
  capturedAt: z.iso.datetime(),
  mac: z.string().optional(),
});

/** The day folder of an alert: the day its version was captured (UTC), so a key is known before it is read. */
function alertKey(alert: Pick<Alert, 'key' | 'capturedAt'>): string {
  return `${StoreLayout.ALERTS}${alert.capturedAt.slice(0, 10).replaceAll('-', '')}/${alert.key}.json`;
}

/**
 * The alerts of a store (`alerts/<yyyymmdd>/<key>.json`): each written once, which is what makes the same change
 * alert once for a rule however many times it is captured or redelivered, signed with the store's key like every
 * record, and its deliveries recorded beside it. `alerts/windows/` keeps each rule's latest alert per resource, so a
 * dedup window is a rolling one.
 */
export class AlertLog {
  readonly #backend: StoreBackend;
  readonly #key: RecordAuthenticator | undefined;

  constructor(backend: StoreBackend, key: RecordAuthenticator | undefined) {
    this.#backend = backend;
    this.#key = key;
  }

  /** Writes an alert unless one with its key exists: true when this call wrote it (and so must deliver it). */
  claim(alert: Alert): Promise<boolean> {
    return this.#backend.create(alertKey(alert), this.#bytes({ schema: 1, alert }));
  }

  /**
   * Whether an alert already claimed was never delivered, and was claimed more than `afterMs` before `now`: the
   * process that claimed it stopped (a crash, a timeout) before its delivery was recorded.
   */
  async interrupted(alert: Alert, now: Date, afterMs: number): Promise<boolean> {
    const key = alertKey(alert);
    if (await this.#backend.exists(key.replace(/\.json$/, DELIVERIES_SUFFIX))) return false;
    const claimed = await this.#find(key, alertRecordSchema);
    return claimed !== undefined && now.getTime() - Date.parse(claimed.alert.firedAt) > afterMs;
  }

  /** When the latest alert of a rule on a resource was captured (for its dedup window), if it ever fired. */
  async lastFired(rule: string, resource: ResourceRef): Promise<string | undefined> {
    return (await this.#find(lastFiredKey(rule, resource), lastFiredSchema))?.capturedAt;
  }

  /** Records an alert as its rule's latest on its resource. */
  async markFired(alert: Alert): Promise<void> {
    const record = { schema: 1, capturedAt: alert.capturedAt };
    await this.#backend.put(lastFiredKey(alert.rule, alert.resource), this.#bytes(record));
  }

  /** Records where an alert was delivered, replacing an earlier record of it. */
  async recordDeliveries(alert: Alert, deliveries: readonly DeliveryOutcome[]): Promise<void> {
    const key = alertKey(alert).replace(/\.json$/, DELIVERIES_SUFFIX);
    await this.#backend.put(key, this.#bytes({ schema: 1, key: alert.key, deliveries }));
  }

  /**
   * The alerts captured since a moment (every one without it), day by day (in a day, in key order), each read and
   * checked against its signature: one altered or unsigned in a signed store is a StoreError naming its key.
   */
  async *list(since?: Date): AsyncIterable<StoredAlert> {
    const fromDay = since?.toISOString().slice(0, 10).replaceAll('-', '');
    for await (const key of this.#backend.list(StoreLayout.ALERTS)) {
      if (key.endsWith(DELIVERIES_SUFFIX) || key.startsWith(`${StoreLayout.ALERTS}${WINDOWS_FOLDER}`))
        continue;
      const day = key.slice(StoreLayout.ALERTS.length, StoreLayout.ALERTS.length + 8);
      if (fromDay && day < fromDay) continue;
      const { alert } = await this.#read(key, alertRecordSchema);
      if (since && Date.parse(alert.capturedAt) < since.getTime()) continue;
      const delivered = await this.#find(key.replace(/\.json$/, DELIVERIES_SUFFIX), deliveriesRecordSchema);
      yield {
        alert: alert as unknown as Alert,
        ...(delivered ? { deliveries: delivered.deliveries as DeliveryOutcome[] } : {}),
      };
    }
  }

  #bytes(record: object): Buffer {
    const signed = this.#key ? signRecord(record, this.#key) : record;
    return Buffer.from(canonicalJson(signed as Json), 'utf8');
  }

  async #read<T extends { mac?: string | undefined }>(key: string, schema: z.ZodType<T>): Promise<T> {
    const record = await this.#find(key, schema);
    if (!record) throw new StoreError(`${key} disappeared while alerts were read`, { key });
    return record;
  }

  async #find<T extends { mac?: string | undefined }>(
    key: string,
    schema: z.ZodType<T>,
  ): Promise<T | undefined> {
    const bytes = await this.#backend.read(key);
    if (!bytes) return undefined;
    let record: T;
    try {
      record = schema.parse(JSON.parse(bytes.toString('utf8')));
    } catch (error) {
      throw new StoreError(`${key} in ${this.#backend.location} is not a valid alert record`, {
        cause: error,
        key,
      });
    }
    if (this.#key && !hasValidMacIn(bytes, record, this.#key))
      throw new StoreError(
        `${key} in ${this.#backend.location} is not signed by the store's key: it was altered`,
        {
          key,
        },
      );
    return record;
  }
}
