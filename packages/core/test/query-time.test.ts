import { describe, expect, it } from 'vitest';
import { parseAge, resolveTime } from '../src/query/time.js';
import type { BaselineSummary, Hashed } from '../src/store/records.js';

const now = new Date('2026-11-25T12:00:00.000Z');
const baselines = [
  { hash: 'h', record: { label: 'v1.0', completedAt: '2026-11-20T08:30:00.000Z' } },
] as Hashed<BaselineSummary>[];

describe('resolveTime', () => {
  it.each([
    ['now', '2026-11-25T12:00:00.000Z'],
    ['90s', '2026-11-25T11:58:30.000Z'],
    ['30m', '2026-11-25T11:30:00.000Z'],
    ['2h', '2026-11-25T10:00:00.000Z'],
    ['3d', '2026-11-22T12:00:00.000Z'],
    ['1w', '2026-11-18T12:00:00.000Z'],
    ['v1.0', '2026-11-20T08:30:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T10:00:00Z', '2026-11-01T10:00:00.000Z'],
    ['2026-11-01T10:00:00+02:00', '2026-11-01T08:00:00.000Z'],
  ])('reads %s', (spec, expected) => {
    expect(resolveTime(spec, baselines, now).toISOString()).toBe(expected);
  });

  it('names the accepted forms and the known labels when it cannot read a time', () => {
    expect(() => resolveTime('yesterday', baselines, now)).toThrow(
      'cannot read the time "yesterday": expected now, an age like 2h or 3d, an ISO 8601 time, or a baseline label (v1.0)',
    );
    expect(() => resolveTime('2026-13-45', baselines, now)).toThrow(/cannot read the time/);
  });
});

describe('parseAge', () => {
  it('reads ages in every unit and refuses times that are not ages', () => {
    expect(['90s', '1.5m', '2h', '3d', '1w'].map(parseAge)).toEqual([
      90_000, 90_000, 7_200_000, 259_200_000, 604_800_000,
    ]);
    expect(['now', 'v1.0', '2026-11-25', '5 minutes', ''].map(parseAge)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
