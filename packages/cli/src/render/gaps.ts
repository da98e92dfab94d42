import type { Gap } from '@tidemark/core';
import type { Io } from '../io.js';
import { table } from './format.js';

/** Lists gaps: what could not be captured, and why. */
export function renderGaps(io: Io, gaps: readonly Gap[]): void {
  if (gaps.length === 0) return;
  io.out();
  io.out(`  gaps (${gaps.length}): not captured, recorded as such`);
  const rows = gaps.map((gap) => [
    gap.kind,
    gap.operation,
    `${gap.type} ${gap.id ?? '(all)'}`,
    gap.region,
    gap.code,
  ]);
  for (const line of table(rows)) io.out(`    ${line}`);
}
