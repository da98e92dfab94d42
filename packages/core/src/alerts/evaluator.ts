import pLimit from 'p-limit';
import type { CaptureOutcome } from '../capture/outcome.js';
import { describeProblem } from '../errors.js';
import type { Hashed, VersionCause, VersionRecord } from '../store/records.js';
import type { VersionStore } from '../store/version-store.js';
import { AlertLog, type StoredAlert } from './alert-log.js';
import { type DeliveryOptions, deliverAlert } from './destinations/deliver.js';
import {
  type AlertDestination,
  createDestination,
  type DestinationDeps,
} from './destinations/destination.js';
import type { RuleSet } from './load-rules.js';
import type { AlertRule } from './match.js';
import type { Alert } from './types.js';
import { versionAlerts } from './version-alerts.js';

/**
 * How long after an alert was claimed a capture that meets it again, with no delivery recorded, takes it for
 * interrupted (the process that claimed it stopped) and delivers it: longer than any delivery's retries take.
 */
const INTERRUPTED_AFTER_MS = 5 * 60_000;

/** Versions evaluated at once (each reads up to two records and two documents). */
const EVALUATIONS_IN_FLIGHT = 4;

/** What sees every capture's outcome: the alert evaluator, for the capture engine. */
export interface CaptureObserver {
  /** Called once per capture, with the cause the capture was asked for. Must return at once and never throw. */
  observe(outcome: CaptureOutcome, requested: VersionCause): void;
}

/** Options of {@link AlertEvaluator}. */
export interface AlertEvaluatorOptions {
  readonly store: VersionStore;
  readonly rules: RuleSet;
  /** What destinations need: AWS clients, where stdout lines go, the home region. */
  readonly destinations: DestinationDeps;
  /** Retries of each delivery. */
  readonly delivery?: Omit<DeliveryOptions, 'deadline'>;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What the alerts of the captures since the last {@link AlertEvaluator.settle} came to. Stable shape. */
export interface AlertsReport {
  /** Alerts fired, with where each was delivered. */
  readonly fired: readonly StoredAlert[];
  /** Rules that fired on a change already alerted (a redelivered event, a dedup window): not sent again. */
  readonly duplicates: number;
  /** Changes whose rules could not be evaluated (a store read failed), with why. */
  readonly failures: readonly string[];
}

/**
 * Evaluates the alert rules on every version a capture appends, wherever it runs (baseline, reconcile, ingest,
 * watch, the deployed consumer): the capture engine hands it each outcome and goes on at once. Each rule firing
 * is claimed in the store (`alerts/…`, written once: the same change never alerts twice for a rule, also when a
 * queue delivers its event again), then delivered to the rule's destinations with retries. Nothing it does can
 * fail or delay a capture; {@link settle} waits for what is under way.
 */
export class AlertEvaluator implements CaptureObserver {
  #rules: RuleSet;
  readonly #store: VersionStore;
  readonly #options: AlertEvaluatorOptions;
  readonly #now: () => Date;
  readonly #limit = pLimit(EVALUATIONS_IN_FLIGHT);
  readonly #pending = new Set<Promise<void>>();
  readonly #destinations = new Map<string, AlertDestination>();
  #deadline = new AbortController();
  #fired: StoredAlert[] = [];
  #duplicates = 0;
  #failures: string[] = [];

  constructor(options: AlertEvaluatorOptions) {
    this.#options = options;
    this.#rules = options.rules;
    this.#store = options.store;
    this.#now = options.now ?? (() => new Date());
  }

  /** The rules in force. */
  get rules(): RuleSet {
    return this.#rules;
  }

  /**
   * The store's alerts, signed once the store is authenticated: judged at each use, since a new store gets its
   * identity (and so its signed records) with its first version, after this evaluator was made.
   */
  get #log(): AlertLog {
    const store = this.#store;
    return new AlertLog(store.backend, store.authenticated ? store.key : undefined);
  }

  /** Puts other rules in force (a rules file changed) for the captures from now on. */
  useRules(rules: RuleSet): void {
    if (rules === this.#rules) return;
    this.#rules = rules;
    this.#destinations.clear();
  }

  /**
   * Takes a capture's outcome: a version appended is evaluated; so is one found unchanged that the same event
   * appended before (a redelivered message whose first delivery may have stopped before alerting).
   */
  observe(outcome: CaptureOutcome, requested: VersionCause): void {
    if (this.#rules.rules.length === 0 || !('version' in outcome) || !outcome.version) return;
    const { version } = outcome;
    const recorded = version.record.cause;
    const replayed =
      outcome.status === 'unchanged' &&
      requested.kind === 'event' &&
      recorded.kind === 'event' &&
      requested.eventId !== undefined &&
      recorded.eventId === requested.eventId;
    if (outcome.status !== 'appended' && !replayed) return;
    const task = this.#limit(() => this.#evaluate(version))
      .catch((error: unknown) => {
        this.#failures.push(
          `${version.record.resource.type} ${version.record.resource.id}: ${describeProblem(error)}`,
        );
      })
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }

  /**
   * Waits for every evaluation and delivery under way, and reports them; deliveries still running after
   * `deadlineMs` stop and are recorded as failed. The next captures start a new report.
   */
  async settle(options: { readonly deadlineMs?: number } = {}): Promise<AlertsReport> {
    const timer =
      options.deadlineMs === undefined
        ? undefined
        : setTimeout(() => this.#deadline.abort(), options.deadlineMs);
    try {
      while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    } finally {
      clearTimeout(timer);
    }
    const report = { fired: this.#fired, duplicates: this.#duplicates, failures: this.#failures };
    this.#fired = [];
    this.#duplicates = 0;
    this.#failures = [];
    if (this.#deadline.signal.aborted) this.#deadline = new AbortController();
    return report;
  }

  async #evaluate(version: Hashed<VersionRecord>): Promise<void> {
    const now = this.#now();
    for (const { rule, alert } of await versionAlerts(this.#store, this.#rules, version, now))
      await this.#fire(rule, alert);
  }

  async #fire(rule: AlertRule, alert: Alert): Promise<void> {
    const log = this.#log;
    const { dedupMs } = rule;
    const last = dedupMs ? await log.lastFired(alert.rule, alert.resource) : undefined;
    if (last !== undefined && dedupMs !== undefined && withinWindow(last, alert.capturedAt, dedupMs)) {
      this.#duplicates++;
      return;
    }
    if (!(await log.claim(alert)) && !(await log.interrupted(alert, this.#now(), INTERRUPTED_AFTER_MS))) {
      this.#duplicates++;
      return;
    }
    if (dedupMs && (last === undefined || last < alert.capturedAt)) await log.markFired(alert);
    const destinations = alert.destinations.map((name) => this.#destination(name));
    const deliveries = await deliverAlert(alert, destinations, {
      ...this.#options.delivery,
      deadline: this.#deadline.signal,
    });
    await log.recordDeliveries(alert, deliveries);
    this.#fired.push({ alert, deliveries });
  }

  #destination(name: string): AlertDestination {
    let destination = this.#destinations.get(name);
    if (!destination) {
      const config = this.#rules.destinations[name];
      if (!config) throw new Error(`no destination named ${name}`);
      destination = createDestination(name, config, this.#options.destinations);
      this.#destinations.set(name, destination);
    }
    return destination;
  }
}

/** Whether a capture at `capturedAt` falls within `windowMs` after one at `last` (ISO times). */
export function withinWindow(last: string, capturedAt: string, windowMs: number): boolean {
  const since = Date.parse(capturedAt) - Date.parse(last);
  return since >= 0 && since < windowMs;
}
