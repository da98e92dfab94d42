import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { DOWNLOADS_IN_FLIGHT } from '../constants.js';
import { InputError } from '../errors.js';
import type { VersionStore } from '../store/version-store.js';
import type { CloudFormationExport } from './cloudformation.js';
import { ASSETS_BUCKET_PARAMETER } from './mapping.js';

/** The files of an export folder. */
export const ExportFiles = {
  TEMPLATE: 'template.yaml',
  MANIFEST: 'assets/manifest.json',
} as const;

/** An asset file written: its hash, path in the export folder and size. */
export interface WrittenAsset {
  readonly hash: string;
  readonly path: string;
  readonly size: number;
}

/** What `writeExport` wrote. */
export interface WrittenExport {
  /** The export folder, absolute. */
  readonly directory: string;
  /** Each distinct content once. */
  readonly assets: readonly WrittenAsset[];
  /** Bytes of the asset files. */
  readonly bytes: number;
}

/**
 * An InputError unless `directory` is absent or an empty folder: an export never mixes with other files or
 * overwrites an earlier one.
 */
export async function requireNewExportFolder(directory: string): Promise<void> {
  const entries = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new InputError(`${directory} is a file: give a new or empty folder`);
    throw error;
  });
  if (entries.length > 0)
    throw new InputError(`${directory} is not empty (${entries.length} entries): give a new or empty folder`);
}

/**
 * Writes an export into `directory` (absent or empty): `template.yaml`, each asset once as `assets/<sha256>.<ext>`
 * streamed from the store and checked against its hash, and `assets/manifest.json` saying what each asset is and
 * where it belongs. Everything is written in a temporary sibling folder renamed at the end, so a failure or a crash
 * leaves no half-written export.
 */
export async function writeExport(
  store: VersionStore,
  exported: CloudFormationExport,
  directory: string,
): Promise<WrittenExport> {
  const target = path.resolve(directory);
  await requireNewExportFolder(target);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.partial-`));
  try {
    await mkdir(path.join(staging, 'assets'));
    const distinct = [...new Map(exported.assets.map((asset) => [asset.path, asset.hash])).entries()].sort();
    const limit = pLimit(DOWNLOADS_IN_FLIGHT);
    const assets = await Promise.all(
      distinct.map(([file, hash]) =>
        limit(async () => {
          const destination = path.join(staging, file);
          await pipeline(await store.readBlob(hash), createWriteStream(destination, { flags: 'wx' }));
          return { hash, path: file, size: (await stat(destination)).size };
        }),
      ),
    );
    const sizes = new Map(assets.map((asset) => [asset.path, asset.size]));
    if (exported.assets.length > 0)
      await writeFile(
        path.join(staging, ExportFiles.MANIFEST),
        `${JSON.stringify(manifest(exported, sizes), null, 2)}\n`,
      );
    else await rmdir(path.join(staging, 'assets'));
    // YAML 1.1 quoting, so that no reader takes `2010-09-09` for a date or `yes` for a boolean; no anchors.
    await writeFile(
      path.join(staging, ExportFiles.TEMPLATE),
      stringify(exported.template, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 }),
    );
    await requireNewExportFolder(target);
    await rmdir(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, target);
    return { directory: target, assets, bytes: assets.reduce((sum, asset) => sum + asset.size, 0) };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** `assets/manifest.json`: one entry per use of an asset, with the resource and the bucket and key it belongs at. */
function manifest(exported: CloudFormationExport, sizes: ReadonlyMap<string, number>) {
  return {
    at: exported.at,
    assets: exported.assets.map(({ path: file, hash, use, resource, bucket, key }) => ({
      file,
      sha256: hash,
      size: sizes.get(file) ?? 0,
      use,
      type: resource.type,
      id: resource.id,
      region: resource.region,
      ...(bucket === undefined ? { bucketParameter: ASSETS_BUCKET_PARAMETER } : { bucket }),
      key,
    })),
  };
}
