import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FUNCTIONS = path.resolve(import.meta.dirname, '..');
/** The handlers the Pipeline stack deploys, as SST bundles them: ESM for Node 20, the native index left out. */
const HANDLERS = ['consumer', 'schedule'];

describe('the Lambda bundles', () => {
  let folder: string;
  let outputs: Record<string, { bytes: number; inputs: string[] }>;

  beforeAll(async () => {
    // Inside the package, so the bundle resolves better-sqlite3 from node_modules as the deployed one does.
    folder = await mkdtemp(path.join(FUNCTIONS, '.bundle-'));
    const result = await build({
      entryPoints: HANDLERS.map((name) => path.join(FUNCTIONS, 'src', `${name}.ts`)),
      outdir: folder,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      external: ['better-sqlite3'],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      metafile: true,
      logLevel: 'silent',
    });
    outputs = Object.fromEntries(
      Object.entries(result.metafile.outputs).map(([file, output]) => [
        path.basename(file, '.mjs'),
        { bytes: output.bytes, inputs: Object.keys(output.inputs) },
      ]),
    );
  }, 60_000);
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each(HANDLERS)('bundles %s without test-only code and loads it as Lambda would', async (name) => {
    const bundle = outputs[name];
    const loaded = (await import(pathToFileURL(path.join(folder, `${name}.mjs`)).href)) as {
      handler?: unknown;
    };

    expect(typeof loaded.handler).toBe('function');
    expect(bundle?.inputs.filter((input) => /aws-sdk-client-mock|sinon|simulation\//.test(input))).toEqual(
      [],
    );
  });
});
