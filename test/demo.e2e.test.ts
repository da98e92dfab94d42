import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, CLI_PACKAGE } from './support/built-cli.js';
import { type NodeRun, runNode } from './support/node-runtime.js';

/** The demo as `npm run demo` runs it, from its bundle. */
const DEMO = path.join(CLI_PACKAGE, 'dist', 'demo', 'demo.js');

describe('npm run demo, in the shell of a user with AWS settings of their own', () => {
  let folder: string;
  let run: NodeRun;

  beforeAll(async () => {
    await builtBin();
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-demo-'));
    run = await runNode(process.execPath, [DEMO], {
      cwd: folder,
      timeoutMs: 240_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: folder,
        AWS_REGION: 'us-west-2',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_PROFILE: 'no-such-profile',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        TIDEMARK_STORE: path.join(folder, 'elsewhere', 'store'),
        TIDEMARK_KEY_FILE: path.join(folder, 'elsewhere', 'secret.key'),
      },
    });
  }, 300_000);
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('tells the whole story and exits 0, every command succeeding', () => {
    expect(run.stderr).not.toMatch(/^(tidemark:|warning:)/m);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\(exit code \d+\)/);
    expect(run.stdout).toMatch(/^store is consistent$/m);
    expect(run.stdout).toMatch(/^plain-text occurrences of the Stripe keys in the store: 0$/m);
  });

  it('captures the home region and writes the old home page back, byte for byte as it was at v1.0', async () => {
    const oldPage = await readFile(path.join(folder, '.tidemark', 'demo', 'index-v1.0.html'), 'utf8');

    expect(oldPage).toMatch(/<html/i);
    expect(oldPage).not.toMatch(/now booking 2027/);
    expect(run.stdout).toMatch(
      /^AWS::S3::Object queenofsandiego\.com\/index\.html \(us-east-1\): 2 versions$/m,
    );
  });

  it('puts the home page, the deleted page and the function back as at v1.0, the plan printed first', () => {
    const planned = run.stdout.indexOf('Nothing was changed: run again with --apply to apply this plan.');
    const applied = run.stdout.search(
      /^restore [0-9a-f]{12}: 3 restored, 0 partly, 0 failed or unverified, 0 changed since the plan/m,
    );
    expect(planned).toBeGreaterThan(0);
    expect(applied).toBeGreaterThan(planned);
    for (const resource of [
      'AWS::S3::Object queenofsandiego.com/index.html',
      'AWS::S3::Object sailjada.com/about.html',
      'AWS::Lambda::Function image-resizer',
    ])
      expect(run.stdout).toContain(`  RESTORED  ${resource}\n`);
    expect(run.stdout.slice(applied)).toMatch(
      /tidemark diff --from v1\.0 --to live --type AWS::S3::Object\n.*\n0 added, 0 removed, 0 changed\n/,
    );
  });

  it('shows the cancelled booking item by item in the diff from v1.0, captured from its one data event', () => {
    expect(run.stdout).toMatch(/PutItem\s+→ AWS::DynamoDB::Table bookings \(us-east-1\)/);
    expect(run.stdout).toMatch(/^~ AWS::DynamoDB::Table bookings \(us-east-1\)$/m);
    expect(run.stdout).toMatch(/^\s+~ Items\.BK-0000042\.status\.S: "\w+" → "cancelled"$/m);
  });

  it('alerts on the rotated secret without its value, on silent drift, and once on a bucket made public', () => {
    expect(run.stdout).toMatch(
      /^\[high\] A sealed secret changed: AWS::Lambda::Function booking-handler changed by alice at /m,
    );
    expect(run.stdout).toMatch(
      /^ {2}Configuration\.Environment\.Variables\.STRIPE_SECRET_KEY: secret changed \(value not shown\)$/m,
    );
    expect(run.stdout).not.toContain('sk_live_51Rotated');
    expect(run.stdout).toMatch(
      /^\[high\] A change no event reported \(silent drift\): AWS::S3::Bucket sailjada-media changed by no event \(silent drift\)/m,
    );
    expect(run.stdout).toMatch(
      /^the team chat received 1 message:\n {3}\[critical\] S3 bucket made public \(policy, ACL or public access block\): AWS::S3::Bucket sailjada-media changed by alice \(rule bucket-made-public\)$/m,
    );
    const listed = run.stdout.slice(run.stdout.indexOf('$ tidemark alerts list'));
    expect(
      [...listed.matchAll(/^\S+Z {2}\w+ +([\w-]+) /gm)].map((match) => match[1]).slice(0, 3),
      'alerts list, in the order the changes were made',
    ).toEqual(['secret-changed', 'silent-drift', 'bucket-made-public']);
    expect(run.stdout).toMatch(/^3 alerts$/m);
  });

  it('compares the live account with the store: the drifted policy before the baseline records it', () => {
    expect(run.stdout).toMatch(
      /^\$ tidemark diff --from now --to live --type AWS::S3::Bucket\n.*\n0 added, 0 removed, 1 changed\n~ AWS::S3::Bucket sailjada-media \(us-east-1\)\n {4}~ Policy: null → /m,
    );
  });

  it('keeps to its own store and key, never the ones the environment names', () => {
    expect(existsSync(path.join(folder, '.tidemark', 'demo', 'store'))).toBe(true);
    expect(existsSync(path.join(folder, 'elsewhere'))).toBe(false);
  });
});
