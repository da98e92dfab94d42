import { InputError } from '../errors.js';
import type { BaselineSummary, Hashed } from '../store/records.js';

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of an age as users write it (`90s`, `30m`, `2h`, `3d`, `1w`); undefined when it is not one. */
export function parseAge(spec: string): number | undefined {
  const relative = RELATIVE.exec(spec.trim());
  return relative ? Number(relative[1]) * (UNIT_MS[relative[2] as string] as number) : undefined;
}

/** What `diff --from` and `--to` take for the account as it is now: never a stored moment, so no time resolves it. */
export const LIVE_MOMENT = 'live';

/**
 * Resolves a point in time as users write it: `now`, a relative age (`90s`, `30m`, `2h`, `3d`, `1w`),
 * a baseline label (`v1.0`: the moment that baseline completed), or an ISO 8601 date or date-time.
 */
export function resolveTime(
  spec: string,
  baselines: readonly Hashed<BaselineSummary>[],
  now = new Date(),
): Date {
  const text = spec.trim();
  if (text === 'now') return now;
  if (text === LIVE_MOMENT)
    throw new InputError(
      `${LIVE_MOMENT} is the account as it is, not a stored moment: only diff --from and --to accept it`,
    );
  const age = parseAge(text);
  if (age !== undefined) return new Date(now.getTime() - age);
  const baseline = baselines.find((b) => b.record.label === text);
  if (baseline) return new Date(baseline.record.completedAt);
  if (ISO_LIKE.test(text)) {
    const parsed = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  const labels = baselines.map((b) => b.record.label);
  throw new InputError(
    `cannot read the time ${JSON.stringify(spec)}: expected now, an age like 2h or 3d, an ISO 8601 time${
      labels.length > 0 ? `, or a baseline label (${labels.join(', ')})` : ''
    }`,
  );
}
