import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { baseEventName } from '../../src/events/event-name.js';
import type { ResourceDefinition } from '../../src/resources/types.js';

/** The repository root (this file is `packages/core/test/support/fixtures.ts`). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');

/** Real CloudTrail and EventBridge events shared by every engineer, read as they are. */
export const CLOUDTRAIL_FIXTURES = path.resolve(REPO_ROOT, '../shared/fixtures/cloudtrail');

/** One row of the fixtures' `MANIFEST.tsv`. */
export interface FixtureRow {
  readonly file: string;
  readonly form: string;
  readonly eventSource: string;
  readonly eventName: string;
  /** The `readOnly/errorCode` column, e.g. `readOnly=absent; errorCode=AccessDenied`. */
  readonly status: string;
  /** `<type>:<id>` strings; empty for `none`. */
  readonly expected: readonly string[];
}

export function readManifest(): FixtureRow[] {
  const lines = readFileSync(path.join(CLOUDTRAIL_FIXTURES, 'MANIFEST.tsv'), 'utf8').split('\n');
  const header = (lines[0] ?? '').split('\t');
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index === -1) throw new Error(`MANIFEST.tsv has no column ${name}`);
    return index;
  };
  const at = {
    file: column('file'),
    form: column('form'),
    eventSource: column('eventSource'),
    eventName: column('eventName'),
    status: column('readOnly/errorCode'),
    expected: column('expected_resources'),
  };
  return lines
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cells = line.split('\t');
      const expected = (cells[at.expected] ?? '').trim();
      return {
        file: cells[at.file] ?? '',
        form: cells[at.form] ?? '',
        eventSource: cells[at.eventSource] ?? '',
        eventName: cells[at.eventName] ?? '',
        status: cells[at.status] ?? '',
        expected: expected === 'none' || expected === '' ? [] : expected.split(/\s*;\s*/),
      };
    });
}

export function readFixture(file: string): string {
  return readFileSync(path.join(CLOUDTRAIL_FIXTURES, file), 'utf8');
}

/**
 * Whether the registry captures what a row records, selected by the row's `eventSource`: a definition's CloudTrail
 * event source (`iam.amazonaws.com`) or notification source (`aws.s3 (EventBridge)`); for an old record without
 * one, a definition declaring its event name. Such a row must map to exactly its expected resources.
 */
export function isRegistryRow(row: FixtureRow, definitions: readonly ResourceDefinition[]): boolean {
  const source = row.eventSource.replace(/ \(EventBridge\)$/, '');
  if (source === '')
    return definitions.some((definition) => Object.hasOwn(definition.events, baseEventName(row.eventName)));
  return definitions.some(
    (definition) =>
      definition.eventSource === source ||
      (definition.notifications ?? []).some((notification) => notification.source === source),
  );
}

/**
 * Asserts that an event mapped to a manifest row's expected resources (`<type>:<id>`): all of them, nothing at all
 * for a `none` row, and beyond them only closely related resources of the same service (the fixtures' README lets
 * `AddUserToGroup` name the user as well as the group).
 */
export function expectRowResources(
  mapped: readonly string[],
  row: Pick<FixtureRow, 'file' | 'expected'>,
): void {
  expect(mapped, row.file).toEqual(expect.arrayContaining([...row.expected]));
  if (row.expected.length === 0) expect(mapped, row.file).toEqual([]);
  const services = new Set(row.expected.map(serviceOfResource));
  for (const extra of mapped.filter((resource) => !row.expected.includes(resource)))
    expect(services.has(serviceOfResource(extra)), `${row.file} also names ${extra}`).toBe(true);
}

/** `AWS::IAM` of `AWS::IAM::User:bob`. */
function serviceOfResource(resource: string): string {
  return resource.split('::').slice(0, 2).join('::');
}
