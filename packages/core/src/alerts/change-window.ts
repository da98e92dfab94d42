import type { ChangeWindow, Weekday } from './rules.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours as number) * 60 + (minutes as number);
}

/**
 * Whether a moment falls inside a change window: on one of its days, within its hours, both in its time zone
 * (`09:00-17:00` holds 09:00 and not 17:00; `22:00-06:00` spans midnight, the day being the one it starts on at
 * 22:00 and the next one's until 06:00, both as the local day of the moment). Pure.
 *
 * @example
 * insideWindow(new Date('2026-12-05T10:00:00Z'), { days: ['sat'], hours: '09:00-17:00', timeZone: 'UTC' }); // true
 */
export function insideWindow(at: Date, window: ChangeWindow): boolean {
  const parts = formatter(window.timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  const minute = minutesOf(`${part('hour')}:${part('minute')}`);
  const [from, to] = window.hours.split('-').map(minutesOf) as [number, number];
  const withinHours = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  return window.days.includes(day) && withinHours;
}
