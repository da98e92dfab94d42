import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/canonical/canonicalise.js';
import { prepareDocument } from '../src/capture/document.js';
import { fieldChanges } from '../src/query/changes.js';
import { loadOrCreateKey } from '../src/secrets/key-file.js';
import { LocalKeySealer } from '../src/secrets/sealer.js';

describe('loadOrCreateKey', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-key-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('creates a 256-bit key readable only by its owner, then reads the same key back', async () => {
    const file = path.join(folder, 'nested', 'secret.key');

    const created = await loadOrCreateKey(file);
    const read = await loadOrCreateKey(file);

    expect(created).toHaveLength(32);
    expect(read.equals(created)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('LocalKeySealer', () => {
  const sealer = new LocalKeySealer(Buffer.alloc(32, 7));

  it('round-trips any value and never contains the plaintext', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), (secret) => {
        const sealed = sealer.seal(secret);
        expect(sealer.unseal(sealed)).toBe(secret);
        expect(JSON.stringify(sealed)).not.toContain(JSON.stringify(secret).slice(1, -1));
      }),
    );
  });

  it('seals equal values identically, so an unchanged secret is not a change', () => {
    expect(sealer.seal('sk_live_abc')).toEqual(sealer.seal('sk_live_abc'));
    expect(sealer.seal('sk_live_abc')).not.toEqual(sealer.seal('sk_live_abd'));
  });

  it('refuses to unseal with another key', () => {
    const other = new LocalKeySealer(Buffer.alloc(32, 8));

    expect(() => other.unseal(sealer.seal('x'))).toThrow(/sealed with key/);
  });
});

describe('prepareDocument', () => {
  const sealer = new LocalKeySealer(Buffer.alloc(32, 1));
  const definition = {
    normalise: (raw: Record<string, never>) => raw,
    secrets: ['Configuration.Environment.Variables.*'],
    volatile: ['Configuration.LastModified'],
  };
  const raw = (key: string, modified: string) => ({
    Configuration: {
      LastModified: modified,
      Environment: { Variables: { STRIPE_SECRET_KEY: key, TABLE_NAME: 'bookings' } },
    },
  });

  it('seals secrets, drops volatile fields, and says which secret changed without its value', () => {
    const before = prepareDocument(definition, raw('sk_live_old', '2026-01-01'), sealer);
    const after = prepareDocument(definition, raw('sk_live_new', '2026-02-02'), sealer);

    const text = canonicalJson(before) + canonicalJson(after);
    expect(text).not.toContain('sk_live_');
    expect(text).not.toContain('LastModified');
    expect(fieldChanges(before, after)).toEqual([
      { path: 'Configuration.Environment.Variables.STRIPE_SECRET_KEY', change: 'changed', sealed: true },
    ]);
  });

  it('gives the same document for the same state captured at another moment', () => {
    expect(prepareDocument(definition, raw('k', '2026-01-01'), sealer)).toEqual(
      prepareDocument(definition, raw('k', '2027-01-01'), sealer),
    );
  });

  it('treats a policy saved in another order as the same policy', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: 'arn:aws:s3:::a/*',
          Principal: '*',
        },
        {
          Effect: 'Deny',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::a', 'arn:aws:s3:::a/*'],
          Principal: { AWS: ['b', 'a'] },
        },
      ],
    };
    const shuffled = {
      Statement: [
        {
          Principal: { AWS: ['a', 'b'] },
          Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::a'],
          Action: ['s3:*'],
          Effect: 'Deny',
        },
        {
          Action: ['s3:ListBucket', 's3:GetObject'],
          Effect: 'Allow',
          Principal: '*',
          Resource: ['arn:aws:s3:::a/*'],
        },
      ],
      Version: '2012-10-17',
    };
    const plain = { normalise: (r: Record<string, never>) => r, secrets: [], volatile: [] };

    expect(canonicalJson(prepareDocument(plain, { Policy: policy }, sealer))).toBe(
      canonicalJson(prepareDocument(plain, { Policy: shuffled }, sealer)),
    );
  });
});
