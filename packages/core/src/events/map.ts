import { GLOBAL_REGION, RESTORE_USER_AGENT } from '../constants.js';
import { definitionsForEventSource, registry } from '../resources/registry.js';
import type { NotificationSpec, PartialChange, ResourceDefinition } from '../resources/types.js';
import type { CloudTrailRecord } from '../types/cloudtrail.js';
import type { ResourceRef } from '../types/resource.js';
import { baseEventName, isReadOnlyName } from './event-name.js';
import {
  type ChangeEvent,
  type EventCause,
  type MappedEvent,
  type PartialResource,
  type ServiceNotification,
  SkipReason,
  type SkipReasonCode,
} from './types.js';

/** Options of {@link mapEvent}. */
export interface MapOptions {
  /** Account used when an event names none (no `recipientAccountId`, envelope account or identity). */
  readonly defaultAccount?: string;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * An event time as ISO-8601 UTC (`2024-06-02T20:16:32.000Z`), accepting CloudTrail's ISO form and
 * Panther's `2024-06-02 20:16:32.000000000`. `undefined` for anything else.
 */
export function normaliseEventTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    value.trim(),
  );
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const parsed = new Date(`${date}T${time}${fraction.slice(0, 4)}${zone.toUpperCase()}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/**
 * The region of a record: `awsRegion`, else its EventBridge envelope's, else the region of a resource ARN it names
 * (`resources[].ARN`), else the one in the endpoint host it called (`acm.us-west-2.amazonaws.com`).
 */
function regionOf(record: CloudTrailRecord, envelopeRegion: string | undefined): string | undefined {
  const fromArns = Array.isArray(record.resources)
    ? record.resources
        .map((resource) => nonEmpty(resource?.ARN)?.split(':')[3])
        .find((region) => region !== undefined && region !== '')
    : undefined;
  const tls = record.tlsDetails as { clientProvidedHostHeader?: unknown } | undefined;
  const host = nonEmpty(tls?.clientProvidedHostHeader);
  const fromHost = host
    ? /^[a-z0-9-]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/.exec(host)?.[1]
    : undefined;
  return nonEmpty(record.awsRegion) ?? envelopeRegion ?? fromArns ?? fromHost;
}

/** Who made a call: the identity's ARN, else the service that invoked it, its principal id or its type. */
function principalOf(identity: unknown): string | undefined {
  if (typeof identity !== 'object' || identity === null) return undefined;
  const fields = identity as Record<string, unknown>;
  return (
    nonEmpty(fields.arn) ??
    nonEmpty(fields.invokedBy) ??
    nonEmpty(fields.principalId) ??
    nonEmpty(fields.type)
  );
}

function accountOf(
  record: CloudTrailRecord,
  envelopeAccount: string | undefined,
  options: MapOptions,
): string | undefined {
  const identity = record.userIdentity as Record<string, unknown> | null | undefined;
  const fromResources = Array.isArray(record.resources)
    ? record.resources
        .map((resource) => nonEmpty(resource?.accountId))
        .find((account) => account !== undefined)
    : undefined;
  return (
    nonEmpty(record.recipientAccountId) ??
    envelopeAccount ??
    nonEmpty(identity?.accountId) ??
    fromResources ??
    nonEmpty(options.defaultAccount)
  );
}

/** Who made a call, as recorded with the versions it causes: the identity's ARN and the human behind it. */
interface CallerOf {
  readonly principal?: string | undefined;
  readonly actor?: string | undefined;
  readonly ownWrite?: boolean;
  readonly restore?: string | undefined;
}

/** A cause with only the fields that are known (non-empty). */
function eventCause(
  eventName: string,
  eventId: string | undefined,
  eventTime: string | undefined,
  caller: CallerOf,
): EventCause {
  const cause: { -readonly [K in keyof EventCause]: EventCause[K] } = { kind: 'event', eventName };
  if (eventId) cause.eventId = eventId;
  if (eventTime) cause.eventTime = eventTime;
  if (caller.principal) cause.principal = caller.principal;
  if (caller.actor) cause.actor = caller.actor;
  if (caller.ownWrite) cause.ownWrite = true;
  if (caller.restore) cause.restore = caller.restore;
  return cause;
}

/**
 * The human behind an identity: the source identity set when the role was assumed, the IAM Identity Center user
 * (`onBehalfOf.userId`), an assumed role's session name (an SSO role's is the user's name), an IAM user's name, or
 * `root`. Undefined for services and identities that name nobody.
 */
function actorOf(identity: unknown): string | undefined {
  if (typeof identity !== 'object' || identity === null) return undefined;
  const fields = identity as Record<string, unknown>;
  const session = fields.sessionContext as Record<string, unknown> | undefined;
  const onBehalfOf = fields.onBehalfOf as Record<string, unknown> | undefined;
  const type = nonEmpty(fields.type);
  const sessionName =
    type === 'AssumedRole' ? nonEmpty(fields.arn)?.match(/:assumed-role\/[^/]+\/(.+)$/)?.[1] : undefined;
  return (
    nonEmpty(session?.sourceIdentity) ??
    nonEmpty(onBehalfOf?.userId) ??
    sessionName ??
    (type === 'IAMUser' ? nonEmpty(fields.userName) : undefined) ??
    (type === 'Root' ? 'root' : undefined)
  );
}

/** Whether a call was made by Tidemark itself: its SDK clients send `tidemark/<version>` in their user agent. */
function isOwnWrite(userAgent: unknown): boolean {
  return typeof userAgent === 'string' && /(^|[\s[])tidemark\//.test(userAgent);
}

/** The id of the restore that made a call: its user agent's `tidemark-restore/<id>`. */
function restoreOf(userAgent: unknown): string | undefined {
  if (typeof userAgent !== 'string') return undefined;
  return userAgent.match(new RegExp(`(?:^|[\\s[])${RESTORE_USER_AGENT}/([\\w-]+)`))?.[1];
}

function causeOf(record: CloudTrailRecord, eventName: string): EventCause {
  return eventCause(eventName, nonEmpty(record.eventID), normaliseEventTime(record.eventTime), {
    principal: principalOf(record.userIdentity),
    actor: actorOf(record.userIdentity),
    ownWrite: isOwnWrite(record.userAgent),
    restore: restoreOf(record.userAgent),
  });
}

function isFailed(errorCode: unknown): boolean {
  return typeof errorCode === 'string' ? errorCode !== '' : errorCode !== undefined && errorCode !== null;
}

function isReadOnly(readOnly: unknown, name: string): boolean {
  if (readOnly === true || (typeof readOnly === 'string' && readOnly.toLowerCase() === 'true')) return true;
  if (readOnly === false || (typeof readOnly === 'string' && readOnly.toLowerCase() === 'false'))
    return false;
  return isReadOnlyName(name);
}

function skipped(source: string, reason: SkipReasonCode, detail: string, cause?: EventCause): MappedEvent {
  const why = { reason, detail };
  return cause ? { source, cause, resources: [], skipped: why } : { source, resources: [], skipped: why };
}

/**
 * What an extractor names: each identifier once (never empty), with the parts it changed when every mention names
 * parts (their union), or as a whole when any mention does not. An extractor that throws names nothing.
 */
function changesOf(definition: ResourceDefinition, name: string, record: CloudTrailRecord): PartialChange[] {
  const extractor = definition.events[name];
  if (!extractor) return [];
  let named: readonly unknown[];
  try {
    named = extractor(record);
  } catch {
    return [];
  }
  const changes = new Map<string, Set<string> | undefined>();
  for (const item of named) {
    const change = typeof item === 'string' ? { id: item } : (item as PartialChange | null);
    if (typeof change?.id !== 'string' || change.id === '') continue;
    const parts = Array.isArray(change.parts)
      ? change.parts.filter((part) => typeof part === 'string')
      : undefined;
    const known = changes.get(change.id);
    const whole = !parts || (changes.has(change.id) && known === undefined);
    changes.set(change.id, whole ? undefined : new Set([...(known ?? []), ...parts]));
  }
  return [...changes].map(([id, parts]) => (parts ? { id, parts: [...parts] } : { id }));
}

/** The definitions that may handle an event: by its source, or (old records without one) by its name alone. */
function candidatesFor(
  eventSource: string | undefined,
  name: string,
  definitions: readonly ResourceDefinition[],
): { definitions: readonly ResourceDefinition[]; problem?: string } {
  if (eventSource) {
    const bySource = definitionsForEventSource(eventSource, definitions);
    if (bySource.length === 0) return { definitions: [], problem: `service ${eventSource} is not captured` };
    return { definitions: bySource };
  }
  const sources = new Set(
    definitions
      .filter((definition) => Object.hasOwn(definition.events, name))
      .map((definition) => definition.eventSource),
  );
  const [only] = sources;
  if (sources.size !== 1 || only === undefined) {
    return {
      definitions: [],
      problem: `record has no eventSource and ${sources.size === 0 ? 'no' : 'more than one'} captured service has ${name}`,
    };
  }
  return { definitions: definitionsForEventSource(only, definitions) };
}

function mapCloudTrail(
  event: Extract<ChangeEvent, { kind: 'cloudtrail' }>,
  definitions: readonly ResourceDefinition[],
  options: MapOptions,
): MappedEvent {
  const { record, source } = event;
  const eventName = nonEmpty(record.eventName);
  if (!eventName) return skipped(source, SkipReason.MALFORMED, 'cloudtrail record without eventName');
  const cause = causeOf(record, eventName);
  const eventSource = nonEmpty(record.eventSource);
  const call = `${eventSource ?? '(no eventSource)'} ${eventName}`;

  if (isFailed(record.errorCode)) {
    return skipped(source, SkipReason.FAILED_CALL, `${call} failed with ${String(record.errorCode)}`, cause);
  }
  const name = baseEventName(eventName);
  if (isReadOnly(record.readOnly, name))
    return skipped(source, SkipReason.READ_ONLY, `${call} only reads`, cause);

  const candidates = candidatesFor(eventSource, name, definitions);
  if (candidates.problem)
    return skipped(source, SkipReason.UNSUPPORTED, `${call}: ${candidates.problem}`, cause);
  const handling = candidates.definitions.filter((definition) => Object.hasOwn(definition.events, name));
  if (handling.length === 0) {
    return skipped(source, SkipReason.UNSUPPORTED, `${call} is not a change Tidemark captures`, cause);
  }

  const account = accountOf(record, event.account, options);
  if (!account) return skipped(source, SkipReason.UNRESOLVABLE, `${call} names no account`, cause);
  const awsRegion = regionOf(record, event.region);

  const resources: ResourceRef[] = [];
  const partial: PartialResource[] = [];
  let regionMissing = false;
  for (const definition of handling) {
    const region = definition.scope === 'global' ? GLOBAL_REGION : awsRegion;
    const changes = changesOf(definition, name, record);
    if (!region) {
      regionMissing ||= changes.length > 0;
      continue;
    }
    for (const { id, parts } of changes) {
      resources.push({ account, region, type: definition.type, id });
      if (parts) partial.push({ type: definition.type, id, parts });
    }
  }
  if (resources.length === 0) {
    const why = regionMissing ? 'does not say in which region' : 'does not say which resource';
    return skipped(source, SkipReason.UNRESOLVABLE, `${call} ${why} it changed`, cause);
  }
  return { source, cause, resources, ...(partial.length > 0 ? { partial } : {}) };
}

/** The definitions declaring a notification, with the declaration. */
function notificationHandlers(
  event: ServiceNotification,
  definitions: readonly ResourceDefinition[],
): Array<{ readonly definition: ResourceDefinition; readonly spec: NotificationSpec }> {
  return definitions.flatMap((definition) =>
    (definition.notifications ?? [])
      .filter(
        (spec) => spec.source === event.eventBridgeSource && spec.detailTypes.includes(event.detailType),
      )
      .map((spec) => ({ definition, spec })),
  );
}

function mapNotification(
  event: ServiceNotification,
  definitions: readonly ResourceDefinition[],
  options: MapOptions,
): MappedEvent {
  const call = `${event.eventBridgeSource} "${event.detailType}"`;
  const handlers = notificationHandlers(event, definitions);
  const [first] = handlers;
  const named = first?.spec.cause?.(event) ?? {};
  const cause = eventCause(named.eventName ?? event.detailType, event.id, normaliseEventTime(event.time), {
    principal: named.principal,
  });
  if (!first)
    return skipped(event.source, SkipReason.NOT_A_CHANGE, `${call} is not a change Tidemark captures`, cause);
  const account = nonEmpty(event.account) ?? nonEmpty(options.defaultAccount);
  if (!account) return skipped(event.source, SkipReason.UNRESOLVABLE, `${call} names no account`, cause);
  const resources: ResourceRef[] = [];
  const notices: string[] = [];
  for (const { definition, spec } of handlers) {
    const region = definition.scope === 'global' ? GLOBAL_REGION : nonEmpty(event.region);
    const ids = notificationIds(spec, event);
    if (!spec.changes) {
      notices.push(...ids);
      continue;
    }
    if (!region) continue;
    for (const id of ids) resources.push({ account, region, type: definition.type, id });
  }
  if (resources.length > 0) return { source: event.source, cause, resources };
  if (notices.length > 0)
    return skipped(
      event.source,
      SkipReason.NOT_A_CHANGE,
      `${call} for ${notices.join(', ')}: nothing changed`,
      cause,
    );
  return skipped(
    event.source,
    SkipReason.UNRESOLVABLE,
    `${call} does not say which resource it concerns`,
    cause,
  );
}

/** Identifiers a notification names: strings only, never empty, each once. A declaration that throws names none. */
function notificationIds(spec: NotificationSpec, event: ServiceNotification): string[] {
  try {
    return [...new Set(spec.ids(event).filter((id) => typeof id === 'string' && id !== ''))];
  } catch {
    return [];
  }
}

/**
 * The resources one change event asks to capture again, or why it asks for none. Pure.
 *
 * @example
 * const [event] = parseEventInput(body, 'sqs:msg-1');
 * const mapped = mapEvent(event); // { resources: [{ type: 'AWS::S3::Bucket', id: 'logs', … }], cause: { … } }
 */
export function mapEvent(
  event: ChangeEvent,
  definitions: readonly ResourceDefinition[] = registry,
  options: MapOptions = {},
): MappedEvent {
  switch (event.kind) {
    case 'cloudtrail':
      return mapCloudTrail(event, definitions, options);
    case 'notification':
      return mapNotification(event, definitions, options);
    case 'other':
      return skipped(
        event.source,
        event.reason,
        event.line === undefined ? event.detail : `line ${event.line}: ${event.detail}`,
      );
  }
}

/** {@link mapEvent} for many events, in order. */
export function mapEvents(
  events: readonly ChangeEvent[],
  definitions: readonly ResourceDefinition[] = registry,
  options: MapOptions = {},
): MappedEvent[] {
  return events.map((event) => mapEvent(event, definitions, options));
}

/** One resource to capture, with the cause of the latest event that named it. */
export interface CoalescedChange {
  readonly resource: ResourceRef;
  /** The latest event's cause; `coalesced` counts every event that named the resource. */
  readonly cause: EventCause;
  /** The parts the events changed, when every one of them changed only parts (see `MappedEvent.partial`). */
  readonly parts?: readonly string[];
}

/** The key of a resource: equal for the same account, region, type and identifier. */
function resourceKey(resource: ResourceRef): string {
  return JSON.stringify([resource.account, resource.region, resource.type, resource.id]);
}

function timeOf(cause: EventCause): number {
  const time = cause.eventTime === undefined ? Number.NaN : Date.parse(cause.eventTime);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * One entry per distinct resource, in order of first mention, with the cause of its latest event (by
 * `eventTime`; on a tie or without times, the later one in the input), how many events named it, and the other
 * principals among them (`alsoBy`), so that who made an earlier change of the batch is not lost.
 */
export function coalesce(mapped: readonly MappedEvent[]): CoalescedChange[] {
  const changes = new Map<
    string,
    {
      resource: ResourceRef;
      cause: EventCause;
      time: number;
      count: number;
      parts: Set<string> | undefined;
      principals: Set<string>;
    }
  >();
  for (const event of mapped) {
    if (!event.cause || event.resources.length === 0) continue;
    const cause = event.cause;
    const time = timeOf(cause);
    for (const resource of event.resources) {
      const key = resourceKey(resource);
      const parts = event.partial?.find((p) => p.type === resource.type && p.id === resource.id)?.parts;
      const existing = changes.get(key);
      if (!existing) {
        const principals = new Set(cause.principal ? [cause.principal] : []);
        changes.set(key, { resource, cause, time, count: 1, parts: parts && new Set(parts), principals });
        continue;
      }
      existing.count += 1;
      existing.parts = existing.parts && parts ? new Set([...existing.parts, ...parts]) : undefined;
      if (cause.principal) existing.principals.add(cause.principal);
      if (time >= existing.time) {
        existing.cause = cause;
        existing.time = time;
      }
    }
  }
  return [...changes.values()].map(({ resource, cause, count, parts, principals }) => {
    const others = [...principals].filter((principal) => principal !== cause.principal).sort();
    return {
      resource,
      cause: { ...cause, coalesced: count, ...(others.length > 0 ? { alsoBy: others } : {}) },
      ...(parts ? { parts: [...parts] } : {}),
    };
  });
}
