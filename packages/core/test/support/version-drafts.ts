import type { BaselineDraft, VersionDraft, VersionStore } from '../../src/store/version-store.js';
import type { ResourceRef } from '../../src/types/resource.js';

/** A bucket resource for store tests. */
export const SITE_BUCKET: ResourceRef = {
  account: '123456789012',
  region: 'us-east-1',
  type: 'AWS::S3::Bucket',
  id: 'site',
};

/** A version draft of `resource` whose document (stored first) is `document`, captured at `at`. */
export async function draft(
  store: VersionStore,
  resource: ResourceRef,
  document: object,
  at: string,
): Promise<VersionDraft> {
  const { hash } = await store.content.putBytes(Buffer.from(JSON.stringify(document)));
  return {
    resource,
    capturedAt: at,
    cause: { kind: 'baseline', label: 'v1.0' },
    deleted: false,
    document: hash,
    blobs: {},
    gaps: [],
  };
}

/** An empty baseline draft labelled `label`. */
export function baselineDraft(label: string): BaselineDraft {
  return {
    label,
    startedAt: '2026-01-03T00:00:00.000Z',
    completedAt: '2026-01-03T00:00:01.000Z',
    account: SITE_BUCKET.account,
    regions: ['us-east-1'],
    types: ['AWS::S3::Bucket'],
    entries: [],
    gaps: [],
  };
}
