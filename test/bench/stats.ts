import { readFileSync } from 'node:fs';

/** The median of some figures (NaN for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The peak resident set of this process so far, in bytes: Linux's high-water mark of its own memory (`VmHWM`).
 * Not `process.resourceUsage().maxRSS`, which on Linux also holds the peak of the parent that spawned the process
 * (its memory is the child's until `exec`): a bench child would report the bench's own size.
 */
export function ownPeakRssBytes(): number {
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readProcStatus())?.[1];
  return kib ? Number(kib) * 1024 : process.resourceUsage().maxRSS * 1024;
}

function readProcStatus(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}
