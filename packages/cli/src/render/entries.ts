import type { FieldChange, StateEntry, VersionCause } from '@tidemark/core';
import type { Io } from '../io.js';
import { formatValue } from './format.js';
import { printable } from './printable.js';

/** `AWS::S3::Object queenofsandiego.com/index.html (us-east-1)`, {@link printable}. */
export function describeResource(entry: Pick<StateEntry, 'resource'>): string {
  const { type, id, region } = entry.resource;
  return printable(`${type} ${id} (${region})`);
}

/**
 * Why a version exists: `baseline v1.0`, `UpdateFunctionCode20150331v2 by arn:…`,
 * `reconcile v1.1 (changed without an event)`; {@link printable}.
 */
export function describeCause(cause: VersionCause): string {
  return printable(causeText(cause));
}

function causeText(cause: VersionCause): string {
  switch (cause.kind) {
    case 'baseline':
      return `baseline ${cause.label}`;
    case 'event':
      return `${cause.eventName}${byWhom(cause)}${cause.restore ? ` (restore ${cause.restore})` : ''}${cause.alsoBy ? ` (also by ${cause.alsoBy.join(', ')})` : ''}${
        cause.coalesced && cause.coalesced > 1 ? ` (+${cause.coalesced - 1} more events)` : ''
      }`;
    case 'reconcile':
      return `reconcile${cause.label ? ` ${cause.label}` : ''} (${cause.detail ?? 'changed without an event'})`;
    case 'drift-check':
      return 'drift check (diff --capture)';
    case 'restore':
      return `restore ${cause.restoreId} to ${cause.at} (${cause.phase === 'before' ? 'state before it' : 'restored'})`;
  }
}

/** ` by alice (arn:aws:sts::…:assumed-role/…/alice)`: the human behind the principal first, when the event says. */
function byWhom(cause: { readonly principal?: string; readonly actor?: string }): string {
  if (!cause.principal) return cause.actor ? ` by ${cause.actor}` : '';
  return cause.actor && !cause.principal.endsWith(`/${cause.actor}`)
    ? ` by ${cause.actor} (${cause.principal})`
    : ` by ${cause.principal}`;
}

/** One line per field change; secrets show only that they changed. */
export function renderChanges(io: Io, changes: readonly FieldChange[], indent = '    '): void {
  for (const change of changes) {
    const path = printable(change.path);
    if (change.sealed) io.out(`${indent}~ ${path}: secret changed (values sealed)`);
    else if (change.change === 'added') io.out(`${indent}+ ${path}: ${formatValue(change.after)}`);
    else if (change.change === 'removed') io.out(`${indent}- ${path}: ${formatValue(change.before)}`);
    else io.out(`${indent}~ ${path}: ${formatValue(change.before, 40)} → ${formatValue(change.after, 40)}`);
  }
}
