import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltFunction, LambdaArchitecture } from '../../../test/support/sst-build.js';

/** The ELF `e_machine` of each Lambda architecture (System V ABI: EM_X86_64 = 62, EM_AARCH64 = 183). */
export const ELF_MACHINE_OF: Readonly<Record<LambdaArchitecture, number>> = { x86_64: 62, arm64: 183 };

/** Names of the machines a binary found in an asset is likely built for. */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'i386',
  40: 'ARM (32-bit)',
  62: 'x86-64',
  183: 'AArch64',
};

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** Bytes of an ELF header up to `e_machine` (offset 18, two bytes in the file's byte order). */
const ELF_HEADER_BYTES = 20;

/**
 * The `e_machine` of an ELF file from its first 20 bytes, or undefined when they are not an ELF header. The byte
 * order is the file's own (`EI_DATA`, byte 5: 1 little-endian, 2 big-endian).
 *
 * @example
 * elfMachine(await firstBytes('better_sqlite3.node')); // 62 when built on an x86-64 machine
 */
export function elfMachine(header: Uint8Array): number | undefined {
  if (header.length < ELF_HEADER_BYTES || ELF_MAGIC.some((byte, i) => header[i] !== byte)) return undefined;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  return view.getUint16(18, header[5] !== 2);
}

/** A function as problems name it: stack, logical id, architecture. */
const named = (fn: BuiltFunction) => `${fn.stack} ${fn.logicalId} (${fn.architecture})`;

/** Every regular file of an asset, relative to it, with `/` separators. */
async function assetFiles(asset: string): Promise<string[]> {
  const entries = await readdir(asset, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(asset, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

async function firstBytes(file: string, count: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Native code an asset holds that the function's architecture cannot load: every ELF file (whatever its name)
 * whose machine is not the architecture's, and every `.node` addon that is not an ELF file at all.
 */
export async function binaryProblems(fn: BuiltFunction): Promise<string[]> {
  const expected = ELF_MACHINE_OF[fn.architecture];
  const problems: string[] = [];
  for (const file of await assetFiles(fn.asset)) {
    const machine = elfMachine(await firstBytes(path.join(fn.asset, file), ELF_HEADER_BYTES));
    if (machine === undefined) {
      if (file.endsWith('.node'))
        problems.push(`${named(fn)}: ${file} is a native addon but not a Linux ELF file`);
      continue;
    }
    if (machine !== expected)
      problems.push(
        `${named(fn)}: ${file} is an ELF binary for ${MACHINE_NAMES[machine] ?? `machine ${machine}`} (e_machine ${machine}), not ${fn.architecture}'s ${MACHINE_NAMES[expected]} (${expected})`,
      );
  }
  return problems;
}

/** The parts of the root `package-lock.json` the dependency check reads. */
export interface Lockfile {
  readonly packages: Readonly<Record<string, { readonly version?: string }>>;
}

/** The versions the lockfile holds of each package name, wherever it is installed in the tree. */
function lockedVersions(lock: Lockfile): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const [location, entry] of Object.entries(lock.packages)) {
    const at = location.lastIndexOf('node_modules/');
    if (at < 0 || !entry.version) continue;
    const name = location.slice(at + 'node_modules/'.length);
    versions.set(name, (versions.get(name) ?? new Set()).add(entry.version));
  }
  return versions;
}

/** `node_modules/<name>/package.json` or `…/node_modules/@scope/<name>/package.json`: an installed package. */
const INSTALLED_MANIFEST = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/;

/**
 * Dependencies of an asset not pinned to the repository's lockfile: each one its `package.json` declares must ask
 * for exactly the version the lockfile installs at the top of the tree (`node_modules/<name>`), not a range; each
 * package installed under its `node_modules` must be a version the lockfile holds.
 */
export async function dependencyProblems(fn: BuiltFunction, lock: Lockfile): Promise<string[]> {
  const problems: string[] = [];
  const files = await assetFiles(fn.asset);
  if (files.includes('package.json')) {
    const manifest = JSON.parse(await readFile(path.join(fn.asset, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const field of ['dependencies', 'optionalDependencies'])
      for (const [name, wanted] of Object.entries(manifest[field] ?? {})) {
        const locked = lock.packages[`node_modules/${name}`]?.version;
        if (wanted !== locked)
          problems.push(
            `${named(fn)}: package.json asks for ${name} "${wanted}", ${locked ? `not the locked ${locked}` : 'which the lockfile does not hold'}`,
          );
      }
  }
  const locked = lockedVersions(lock);
  for (const file of files) {
    const name = INSTALLED_MANIFEST.exec(file)?.[1];
    if (!name) continue;
    const { version } = JSON.parse(await readFile(path.join(fn.asset, file), 'utf8')) as { version?: string };
    if (!version || !locked.get(name)?.has(version))
      problems.push(
        `${named(fn)}: ${path.posix.dirname(file)} is ${name}@${version}, not a version the lockfile holds (${[...(locked.get(name) ?? [])].join(', ') || 'none'})`,
      );
  }
  return problems;
}

/**
 * Where an asset holds a package it must not: each folder or file whose name contains the package's name (in
 * either of npm's spellings, `better-sqlite3` or `better_sqlite3`), outermost only, with how many files it
 * holds; and a `package.json` dependency on it.
 */
export async function packagePresence(fn: BuiltFunction, name: string): Promise<string[]> {
  const spellings = [name, name.replaceAll('-', '_')];
  const files = await assetFiles(fn.asset);
  const found = new Map<string, number>();
  for (const file of files) {
    const segments = file.split('/');
    const at = segments.findIndex((segment) => spellings.some((spelling) => segment.includes(spelling)));
    if (at < 0) continue;
    const place = segments.slice(0, at + 1).join('/');
    found.set(place, (found.get(place) ?? 0) + 1);
  }
  const problems = [...found].map(([place, count]) =>
    count === 1 && files.includes(place)
      ? `${named(fn)}: holds ${place}`
      : `${named(fn)}: holds ${place}/ (${count} files)`,
  );
  if (files.includes('package.json')) {
    const manifest = JSON.parse(await readFile(path.join(fn.asset, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    if (manifest.dependencies?.[name]) problems.push(`${named(fn)}: package.json depends on ${name}`);
  }
  return problems;
}
