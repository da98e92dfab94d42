import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Io } from '@tidemark/cli';

/** What one `tidemark` invocation printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What was written to standard output as bytes (`show --blob -`), apart from the lines of `stdout`. */
  readonly bytes: Buffer;
}

/** A store folder and key file in a fresh temporary folder, and a way to run `tidemark` against them. */
export class CliHarness {
  readonly folder: string;
  readonly store: string;
  readonly keyFile: string;
  /** Everything any invocation printed, for scanning. */
  readonly transcript: string[] = [];

  private constructor(folder: string) {
    this.folder = folder;
    this.store = path.join(folder, 'store');
    this.keyFile = path.join(folder, 'secret.key');
  }

  static async create(): Promise<CliHarness> {
    return new CliHarness(await mkdtemp(path.join(tmpdir(), 'tidemark-e2e-')));
  }

  /** Runs `tidemark --store … --key-file … <args>` in this process. */
  async run(...args: string[]): Promise<CliResult> {
    const out: string[] = [];
    const err: string[] = [];
    const bytes: Buffer[] = [];
    const io: Io = {
      out: (line = '') => out.push(line),
      err: (line = '') => err.push(line),
      interactive: false,
      progress: () => undefined,
      stdout: new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes.push(Buffer.from(chunk));
          done();
        },
      }),
    };
    // Imported at each run: a command loads its code when it runs, so after a test resets the module registry
    // (`vi.resetModules()`), `main` must come from the same registry as that code, as in a fresh process.
    const { main } = await import('@tidemark/cli');
    const code = await main(
      ['node', 'tidemark', '--store', this.store, '--key-file', this.keyFile, ...args],
      io,
    );
    const result = { code, stdout: out.join('\n'), stderr: err.join('\n'), bytes: Buffer.concat(bytes) };
    this.transcript.push(result.stdout, result.stderr);
    return result;
  }

  /** Runs a command with `--json` and parses its output; fails loudly on a non-zero exit. */
  async json<T>(...args: string[]): Promise<T> {
    const result = await this.run(...args, '--json');
    if (result.code !== 0)
      throw new Error(`tidemark ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Every file under the store folder, with its bytes as latin1 text (so binary content can be searched). */
  async storeFiles(): Promise<Array<{ file: string; text: string }>> {
    const files: Array<{ file: string; text: string }> = [];
    for (const entry of await readdir(this.store, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      files.push({ file, text: await readFile(file, 'latin1') });
    }
    return files;
  }

  async dispose(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
