import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StateEntry } from '@tidemark/core';
import { SIMULATED_STRIPE_SECRET_KEY } from '@tidemark/simulation';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ExportSummary } from '../packages/cli/src/actions/export.js';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

const ROTATED = 'sk_live_51RotatedAfterTheBaseline00000000';

/** A template resource as `yaml` reads it. */
interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
}

interface Template {
  Parameters: Record<string, { Type: string; NoEcho?: boolean; Default?: unknown }>;
  Resources: Record<string, TemplateResource>;
}

/** Every logical id the template refers to, by `Ref` or `Fn::GetAtt`. */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  const own = [
    ...(typeof object.Ref === 'string' ? [object.Ref] : []),
    ...(Array.isArray(object['Fn::GetAtt']) ? [String(object['Fn::GetAtt'][0])] : []),
  ];
  return [...own, ...Object.values(object).flatMap(referencedIds)];
}

/** Every file under a folder with its bytes as latin1 text (so binary content can be searched too). */
async function filesUnder(folder: string): Promise<Array<{ file: string; text: string }>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { file: path.relative(folder, file), text: (await readFile(file)).toString('latin1') };
      }),
  );
}

describe('tidemark export --format cloudformation', () => {
  const env = withSimulatedAccount();

  /** Baseline v1.0, then booking-handler's memory, code and Stripe key changed, captured from their events. */
  async function baselineThenChanges(): Promise<void> {
    expect((await env.cli.run('baseline', '--label', 'v1.0', '--json')).code).toBe(0);
    const environment = { ...env.account.functionEnvironment('booking-handler'), STRIPE_SECRET_KEY: ROTATED };
    const events = [
      ...env.account.updateFunctionConfiguration('booking-handler', { memorySize: 1024, environment }),
      ...env.account.updateFunctionCode('booking-handler', {
        'index.mjs': 'export const handler = async () => 2;\n',
      }),
    ];
    expect(
      (await env.cli.run('ingest', await writeNdjson(env.cli.folder, 'changes.ndjson', events))).code,
    ).toBe(0);
  }

  it('writes the template and content of v1.0, not of today, with no secret in it', async () => {
    await baselineThenChanges();
    const atV1 = await env.cli.json<{ version: StateEntry }>(
      'show',
      'booking-handler',
      '--at',
      'v1.0',
      '--json',
    );
    const today = await env.cli.json<{ version: StateEntry }>('show', 'booking-handler', '--json');
    const out = path.join(env.cli.folder, 'recovered');

    const summary = await env.cli.json<ExportSummary>(
      'export',
      '--at',
      'v1.0',
      '--format',
      'cloudformation',
      '--out',
      out,
      '--json',
    );
    const template = parse(await readFile(path.join(out, 'template.yaml'), 'utf8')) as Template;

    const declared = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources)]);
    expect(referencedIds(template.Resources).filter((id) => !declared.has(id))).toEqual([]);
    const handler = Object.values(template.Resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName === 'booking-handler',
    );
    expect(handler?.Properties.MemorySize).toBe(256);
    const codeV1 = atV1.version.blobs.code as string;
    expect(codeV1).not.toBe(today.version.blobs.code);
    expect(handler?.Properties.Code).toEqual({
      S3Bucket: { Ref: 'AssetsBucket' },
      S3Key: `assets/${codeV1}.zip`,
    });
    const zip = await readFile(path.join(out, 'assets', `${codeV1}.zip`));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(codeV1);

    const environment = handler?.Properties.Environment as { Variables: Record<string, { Ref: string }> };
    const stripe = environment.Variables.STRIPE_SECRET_KEY;
    expect(template.Parameters[stripe?.Ref as string]).toEqual({
      Type: 'String',
      NoEcho: true,
      Description:
        'AWS::Lambda::Function booking-handler: Environment.Variables.STRIPE_SECRET_KEY, sealed in the store',
    });
    const written = (await filesUnder(out)).map(({ text }) => text).join('\n');
    for (const secret of [SIMULATED_STRIPE_SECRET_KEY, ROTATED]) {
      expect(written).not.toContain(secret);
      expect(env.cli.transcript.join('\n')).not.toContain(secret);
    }

    const manifest = JSON.parse(await readFile(path.join(out, 'assets', 'manifest.json'), 'utf8')) as {
      assets: Array<Record<string, unknown>>;
    };
    expect(manifest.assets).toContainEqual(
      expect.objectContaining({
        use: 'object',
        bucket: 'sailjada.com',
        key: 'index.html',
        type: 'AWS::S3::Object',
      }),
    );
    expect(summary.notDescribed).toContainEqual({
      resource: expect.objectContaining({ type: 'AWS::S3::Object', id: 'sailjada.com/index.html' }),
      reason:
        'CloudFormation has no object resource: its bytes are written as an asset (assets/manifest.json maps keys to files)',
    });
    expect(summary.notDescribed).toContainEqual({
      resource: expect.objectContaining({ type: 'AWS::CloudFront::Distribution' }),
      reason: 'no CloudFormation mapping in Tidemark yet',
    });
  });

  it('names what it wrote and what it could not describe', async () => {
    await baselineThenChanges();
    const out = path.join(env.cli.folder, 'sites');

    const text = await env.cli.run(
      'export',
      '--at',
      'v1.0',
      '--format',
      'cloudformation',
      '--out',
      out,
      '--type',
      'AWS::S3::Bucket',
      '--id',
      'sail*',
    );

    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^2 resources exported \(3 template resources\)$/m);
    expect(text.stdout).toMatch(/^0 assets written \(0 bytes\)/m);
    expect(text.stdout).toMatch(/^0 not described$/m);
    const template = parse(await readFile(path.join(out, 'template.yaml'), 'utf8')) as Template;
    expect(
      Object.values(template.Resources)
        .map((resource) => resource.Type)
        .sort(),
    ).toEqual(['AWS::S3::Bucket', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(await readdir(out)).toEqual(['template.yaml']);
  });

  it('refuses another format, and a folder that is not empty, writing nothing', async () => {
    expect((await env.cli.run('baseline', '--label', 'v1.0', '--json')).code).toBe(0);
    const out = path.join(env.cli.folder, 'recovered');
    expect(
      (await env.cli.run('export', '--at', 'v1.0', '--format', 'cloudformation', '--out', out)).code,
    ).toBe(0);
    const before = await filesUnder(out);
    const siblings = await readdir(env.cli.folder);

    const terraform = await env.cli.run(
      'export',
      '--at',
      'v1.0',
      '--format',
      'terraform',
      '--out',
      path.join(env.cli.folder, 'other'),
    );
    const again = await env.cli.run('export', '--at', 'v1.0', '--format', 'cloudformation', '--out', out);

    expect(terraform.code).toBe(2);
    expect(terraform.stderr).toContain(
      '--format terraform is not a format tidemark export writes: cloudformation',
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${out} is not empty`);
    expect(await filesUnder(out)).toEqual(before);
    expect(await readdir(env.cli.folder)).toEqual(siblings);
  });
});
