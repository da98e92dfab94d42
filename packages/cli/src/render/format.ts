import type { Json } from '@tidemark/core';
import { printable } from './printable.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** `1234` → `1.2 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A JSON value on one line, shortened for a terminal, with nothing in it a terminal would act on. */
export function formatValue(value: Json | undefined, width = 80): string {
  const text = value === undefined ? '∅' : printable(JSON.stringify(value));
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Left-aligned columns, two spaces apart; each cell made {@link printable}. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const printed = rows.map((row) => row.map(printable));
  const widths: number[] = [];
  for (const row of printed)
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  return printed.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
