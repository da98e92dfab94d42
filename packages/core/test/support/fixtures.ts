import { readFileSync } from 'node:fs';
import path from 'node:path';

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

/** Whether a row concerns S3 or Lambda: by expected type, event source or fixture folder. */
export function isS3OrLambdaRow(row: FixtureRow): boolean {
  return (
    row.expected.some((resource) => /^AWS::(S3|Lambda)::/.test(resource)) ||
    /(^|\b)(s3|lambda)[.-]/.test(row.eventSource) ||
    row.eventSource === 'aws.s3 (EventBridge)' ||
    /^(s3|lambda)\//.test(row.file)
  );
}
