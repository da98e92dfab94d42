import { SEALED_MARKER, UNKNOWN_MARKER } from '../constants.js';
import { confirmedEntry, mapBounded, type StateEntry, stateAt } from '../query/queries.js';
import { registry } from '../resources/registry.js';
import { isJsonObject } from '../resources/support.js';
import type { ResourceDefinition } from '../resources/types.js';
import { isSealed } from '../secrets/sealer.js';
import type { StateFilter } from '../store/index-resources.js';
import type { VersionStore } from '../store/version-store.js';
import type { Json, JsonObject } from '../types/json.js';
import type { ResourceRef } from '../types/resource.js';
import { ASSETS_BUCKET_PARAMETER, assetKey, logicalId } from './mapping.js';
import type { AssetUse, CloudFormationMapping, CloudFormationResource, ExportReferences } from './types.js';

/** Why a resource with no mapping is not described. */
export const NO_MAPPING = 'no CloudFormation mapping in Tidemark yet';

/** What to export: a moment, and which of the resources that existed then. */
export interface CloudFormationExportOptions {
  readonly at: Date;
  readonly filter?: StateFilter;
  /** @default the registry */
  readonly definitions?: readonly ResourceDefinition[];
}

/** A resource the template describes: the template resources it became, and what they leave out. */
export interface ExportedResource {
  readonly resource: ResourceRef;
  /** The version exported (its record's hash). */
  readonly version: string;
  readonly logicalIds: readonly string[];
  readonly leftOut: readonly string[];
}

/** A resource, or a part of one (a table's items), the template does not describe, and why. */
export interface NotDescribed {
  readonly resource: ResourceRef;
  readonly reason: string;
}

/** One use of stored content by the export: written once per hash as `path`. */
export interface ExportAsset extends AssetUse {
  readonly resource: ResourceRef;
  /** Where it is written, relative to the export folder: `assets/<sha256>.<extension>`. */
  readonly path: string;
}

/** A CloudFormation template of the captured state at a moment, and the content written beside it. */
export interface CloudFormationExport {
  /** The moment exported, ISO 8601. */
  readonly at: string;
  readonly template: JsonObject;
  readonly resources: readonly ExportedResource[];
  readonly assets: readonly ExportAsset[];
  readonly notDescribed: readonly NotDescribed[];
  /** The regions of the resources described (`global` apart): a stack is deployed in one. */
  readonly regions: readonly string[];
}

/** A resource as it was at the moment, its document read and its unreadable fields left out. */
interface Captured {
  readonly entry: StateEntry;
  readonly document: JsonObject;
  readonly unknown: readonly string[];
  readonly definition: ResourceDefinition | undefined;
}

/**
 * Writes the captured state at `at` as a CloudFormation template: every resource that existed then (and that `filter`
 * selects) whose type has a `cloudFormation` mapping becomes template resources, references between exported
 * resources become `Ref` / `Fn::GetAtt`, and each sealed secret a NoEcho parameter without default, so no secret is
 * ever written. Documents and records are read from the store and checked; content is only named (see `writeExport`).
 *
 * @example
 * const exported = await exportCloudFormation(store, { at: resolveTime('v1.0', store.baselines()) });
 * await writeExport(store, exported, 'recovered');
 */
export async function exportCloudFormation(
  store: VersionStore,
  options: CloudFormationExportOptions,
): Promise<CloudFormationExport> {
  const captured = await readCaptured(store, options);
  // Mapped once without references to learn which resources are described, then with references to those alone.
  const targets = referenceTargets(
    captured.flatMap((item) => {
      const main = mainResource(item, mapCaptured(item, LITERAL_REFERENCES));
      return main ? [{ item, arnTarget: main.Type === item.entry.resource.type }] : [];
    }),
  );
  const { resources, exported, assets, notDescribed } = collect(captured, targets);
  const parameters = {
    ...(assets.some((asset) => asset.use === 'code') ? { [ASSETS_BUCKET_PARAMETER]: ASSETS_BUCKET } : {}),
    ...secretsAsParameters(resources, exported),
  };
  const at = options.at.toISOString();
  return {
    at,
    template: {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: `Tidemark export: ${exported.length} resources as captured at ${at}`,
      Metadata: { Tidemark: metadata(store, at, exported, notDescribed, assets) },
      ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
      Resources: resources,
    },
    resources: exported,
    assets,
    notDescribed,
    regions: [...new Set(exported.map((item) => item.resource.region))]
      .filter((region) => region !== 'global')
      .sort(),
  };
}

/** The resources that existed at the moment, each record and document read from the store and checked. */
function readCaptured(store: VersionStore, options: CloudFormationExportOptions): Promise<Captured[]> {
  const definitions = options.definitions ?? registry;
  return mapBounded(
    stateAt(store, options.at, options.filter ?? {}).filter((entry) => entry.document),
    async (indexed) => {
      const entry = await confirmedEntry(store, indexed);
      const { value, unknown } = withoutUnknown(await store.readDocument(entry.document as string));
      return {
        entry,
        document: value as JsonObject,
        unknown,
        definition: definitions.find((definition) => definition.type === entry.resource.type),
      };
    },
  );
}

/** Every resource mapped with its references: the template resources, and what is exported, written and not described. */
function collect(captured: readonly Captured[], targets: ReturnType<typeof referenceTargets>) {
  const resources: Record<string, JsonObject> = {};
  const exported: ExportedResource[] = [];
  const assets: ExportAsset[] = [];
  const notDescribed: NotDescribed[] = [];
  for (const item of captured) {
    const { resource } = item.entry;
    const mapping = mapCaptured(item, targets.referencesFrom(resource));
    for (const asset of mapping.assets ?? [])
      assets.push({ ...asset, resource, path: assetKey(asset.hash, asset.extension) });
    if (mapping.notDescribed !== undefined) notDescribed.push({ resource, reason: mapping.notDescribed });
    const ids = Object.keys(mapping.resources);
    if (ids.length === 0) continue;
    for (const id of ids) {
      // Logical ids hash the type, region and identifier: two equal ids would be a hash collision, never silent.
      if (id in resources) throw new Error(`two resources of the export have the logical id ${id}`);
      resources[id] = retained(mapping.resources[id] as CloudFormationResource);
    }
    exported.push({
      resource,
      version: item.entry.version,
      logicalIds: ids,
      leftOut: [...item.unknown.map((path) => `${path}: not captured`), ...(mapping.leftOut ?? [])],
    });
  }
  return { resources, exported, assets, notDescribed };
}

/** The AssetsBucket parameter: where the `assets/` folder of the export is uploaded before deploying. */
const ASSETS_BUCKET: JsonObject = {
  Type: 'String',
  Description: 'the S3 bucket the assets/ folder of this export is uploaded to (code at assets/<sha256>.zip)',
};

/** References that always name the literal value: for the first mapping, which only learns what is described. */
const LITERAL_REFERENCES: ExportReferences = { ref: (_type, _id, literal) => literal, arn: (arn) => arn };

/** The mapping of one captured resource; a type without one is not described. */
function mapCaptured(item: Captured, refs: ExportReferences): CloudFormationMapping {
  const spec = item.definition?.cloudFormation;
  if (!spec) return { resources: {}, notDescribed: NO_MAPPING };
  return spec.map({ resource: item.entry.resource, document: item.document, blobs: item.entry.blobs, refs });
}

/** The template resource describing the resource itself (its own logical id), if the mapping has one. */
function mainResource(item: Captured, mapping: CloudFormationMapping): CloudFormationResource | undefined {
  const { type, region, id } = item.entry.resource;
  return mapping.resources[logicalId(type, region, id)];
}

function key(resource: ResourceRef): string {
  return `${resource.type}\n${resource.region}\n${resource.id}`;
}

/**
 * What references can name: the described resources, by type and id, and by ARN those described as their own type
 * (whose `Arn` attribute is their ARN: not a service-linked role).
 */
function referenceTargets(
  described: ReadonlyArray<{ readonly item: Captured; readonly arnTarget: boolean }>,
): {
  referencesFrom(resource: ResourceRef): ExportReferences;
} {
  const byId = new Map<string, ResourceRef[]>();
  const byArn = new Map<string, ResourceRef>();
  for (const { item, arnTarget } of described) {
    const { resource } = item.entry;
    const named = `${resource.type}\n${resource.id}`;
    byId.set(named, [...(byId.get(named) ?? []), resource]);
    const arn = arnTarget ? item.definition?.cloudFormation?.arn?.(resource, item.document) : undefined;
    if (arn !== undefined) byArn.set(arn, resource);
  }
  const idOf = (resource: ResourceRef) => logicalId(resource.type, resource.region, resource.id);
  return {
    referencesFrom(from) {
      const other = (target: ResourceRef | undefined) =>
        target && key(target) !== key(from) ? target : undefined;
      return {
        ref(type, id, literal) {
          const candidates = byId.get(`${type}\n${id}`) ?? [];
          const target = other(
            candidates.find((candidate) => candidate.region === from.region) ??
              (candidates.length === 1 ? candidates[0] : undefined),
          );
          return target ? { Ref: idOf(target) } : literal;
        },
        arn(arn) {
          const target = other(byArn.get(arn));
          return target ? { 'Fn::GetAtt': [idOf(target), 'Arn'] } : arn;
        },
      };
    },
  };
}

/**
 * A template resource that deleting the stack, or replacing the resource, leaves in place: what a recovery template
 * creates holds data, and CloudFormation imports existing resources only with a `Retain` deletion policy.
 */
function retained(resource: CloudFormationResource): JsonObject {
  return {
    Type: resource.Type,
    Properties: resource.Properties,
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };
}

/**
 * Replaces, in place, every sealed value in the resources' properties with a `Ref` to a NoEcho parameter named after
 * the resource and the field, and returns those parameters: no value, no default.
 */
function secretsAsParameters(
  resources: Record<string, JsonObject>,
  exported: readonly ExportedResource[],
): Record<string, JsonObject> {
  const parameters: Record<string, JsonObject> = {};
  for (const { resource, logicalIds } of exported)
    for (const id of logicalIds) {
      const template = resources[id] as JsonObject;
      template.Properties = replaceSealed(template.Properties as Json, [], (path) => {
        const base = `${id}${path.map((step) => step.replace(/[^A-Za-z0-9]/g, '')).join('')}`;
        let name = base;
        for (let n = 2; name in parameters || name in resources; n++) name = `${base}${n}`;
        parameters[name] = {
          Type: 'String',
          NoEcho: true,
          Description: `${resource.type} ${resource.id}: ${path.join('.')}, sealed in the store`,
        };
        return { Ref: name };
      });
    }
  return parameters;
}

/** `value` with each sealed value replaced by what `replace` makes of its path. */
function replaceSealed(
  value: Json,
  path: readonly string[],
  replace: (path: readonly string[]) => Json,
): Json {
  if (isSealed(value)) return replace(path);
  if (Array.isArray(value))
    return value.map((item, index) => replaceSealed(item, [...path, String(index)], replace));
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, child]) => [name, replaceSealed(child, [...path, name], replace)]),
  );
}

/** `value` without the fields Tidemark could not read (`{ $unknown: code }`), and the paths of those fields. */
function withoutUnknown(value: Json, path = ''): { value: Json; unknown: string[] } {
  if (!isJsonObject(value) || SEALED_MARKER in value) return { value, unknown: [] };
  const result: JsonObject = {};
  const unknown: string[] = [];
  for (const [name, child] of Object.entries(value)) {
    const at = path ? `${path}.${name}` : name;
    if (isJsonObject(child) && UNKNOWN_MARKER in child) {
      unknown.push(`${at} (${String(child[UNKNOWN_MARKER])})`);
      continue;
    }
    const inner = withoutUnknown(child, at);
    result[name] = inner.value;
    unknown.push(...inner.unknown);
  }
  return { value: result, unknown };
}

/**
 * `Metadata.Tidemark`: the moment, the store, each resource exported and each one not described. Objects, whose bytes
 * are assets, are counted by reason: the asset manifest lists them one by one, and a template has a size limit.
 */
function metadata(
  store: VersionStore,
  at: string,
  exported: readonly ExportedResource[],
  notDescribed: readonly NotDescribed[],
  assets: readonly ExportAsset[],
): JsonObject {
  const objects = new Set(
    assets.filter((asset) => asset.use === 'object').map((asset) => key(asset.resource)),
  );
  const counted = new Map<string, { type: string; reason: string; count: number }>();
  const listed: JsonObject[] = [];
  for (const { resource, reason } of notDescribed) {
    if (!objects.has(key(resource))) {
      listed.push({ type: resource.type, id: resource.id, region: resource.region, reason });
      continue;
    }
    const group = counted.get(`${resource.type}\n${reason}`) ?? { type: resource.type, reason, count: 0 };
    group.count += 1;
    counted.set(`${resource.type}\n${reason}`, group);
  }
  return {
    moment: at,
    store: { location: store.backend.location, ...(store.identity ? { id: store.identity.storeId } : {}) },
    resources: exported.map(({ resource, version, logicalIds, leftOut }) => ({
      type: resource.type,
      id: resource.id,
      region: resource.region,
      version,
      logicalIds: [...logicalIds],
      ...(leftOut.length > 0 ? { leftOut: [...leftOut] } : {}),
    })),
    notDescribed: [...listed, ...[...counted.values()].map((group) => ({ ...group }))],
  };
}
