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

  it('shows the cancelled booking item by item in the diff from v1.0, captured from its one data event', () => {
    expect(run.stdout).toMatch(/PutItem\s+→ AWS::DynamoDB::Table bookings \(us-east-1\)/);
    expect(run.stdout).toMatch(/^~ AWS::DynamoDB::Table bookings \(us-east-1\)$/m);
    expect(run.stdout).toMatch(/^\s+~ Items\.BK-0000042\.status\.S: "\w+" → "cancelled"$/m);
  });

  it('keeps to its own store and key, never the ones the environment names', () => {
    expect(existsSync(path.join(folder, '.tidemark', 'demo', 'store'))).toBe(true);
    expect(existsSync(path.join(folder, 'elsewhere'))).toBe(false);
  });
});
