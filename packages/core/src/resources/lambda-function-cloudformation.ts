import {
  ASSETS_BUCKET_PARAMETER,
  assetKey,
  isEmpty,
  logicalId,
  objectsOf,
  properties,
  renamed,
  tagList,
  text,
} from '../export/mapping.js';
import type {
  AssetUse,
  CloudFormationInput,
  CloudFormationMapping,
  CloudFormationResource,
  CloudFormationSpec,
  ExportReferences,
} from '../export/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { isJsonObject } from './support.js';

const TYPE = 'AWS::Lambda::Function';

/** Configuration fields CloudFormation names as `GetFunction` does. */
const SAME_NAMES = [
  'FunctionName',
  'Description',
  'Runtime',
  'Handler',
  'MemorySize',
  'Timeout',
  'Architectures',
  'PackageType',
  'TracingConfig',
  'EphemeralStorage',
  'DeadLetterConfig',
  'LoggingConfig',
  'FileSystemConfigs',
] as const;

/** Event source mapping fields CloudFormation names as `ListEventSourceMappings` does. */
const MAPPING_FIELDS = [
  'EventSourceArn',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'StartingPosition',
  'StartingPositionTimestamp',
  'FunctionResponseTypes',
  'FilterCriteria',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
  'BisectBatchOnFunctionError',
  'ParallelizationFactor',
  'TumblingWindowInSeconds',
  'DestinationConfig',
  'Queues',
  'Topics',
  'ScalingConfig',
] as const;

/** Policy conditions an `AWS::Lambda::Permission` expresses: operator, condition key, permission property. */
const PERMISSION_CONDITIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['ArnLike', 'AWS:SourceArn', 'SourceArn'],
  ['ArnEquals', 'AWS:SourceArn', 'SourceArn'],
  ['StringEquals', 'AWS:SourceAccount', 'SourceAccount'],
  ['StringEquals', 'lambda:FunctionUrlAuthType', 'FunctionUrlAuthType'],
  ['StringEquals', 'aws:PrincipalOrgID', 'PrincipalOrgID'],
  ['StringEquals', 'lambda:EventSourceToken', 'EventSourceToken'],
];

/**
 * `AWS::Lambda::Function` as CloudFormation: the function with its code as an asset (`assets/<sha256>.zip` in the
 * AssetsBucket) or its image, its configuration and reserved concurrency; its URL (`AWS::Lambda::Url`), resource
 * policy statements (`AWS::Lambda::Permission`) and event source mappings. Environment values are sealed, so they
 * become NoEcho parameters. Published versions and aliases are left out: a template publishes only the code it deploys.
 */
export const lambdaFunctionCloudFormation: CloudFormationSpec = {
  arn: (_resource, document) =>
    isJsonObject(document.Configuration) ? text(document.Configuration.FunctionArn) : undefined,
  map: mapFunction,
};

function mapFunction({ resource, document, blobs, refs }: CloudFormationInput): CloudFormationMapping {
  const configuration = isJsonObject(document.Configuration) ? document.Configuration : {};
  const image = configuration.PackageType === 'Image';
  const zip = blobs.code;
  if (!image && zip === undefined)
    return {
      resources: {},
      notDescribed: 'its code was not captured at that moment, and a function cannot be created without it',
    };
  const code = isJsonObject(document.Code) ? document.Code : {};
  const functionId = logicalId(TYPE, resource.region, resource.id);
  const assets: AssetUse[] =
    zip === undefined ? [] : [{ hash: zip, extension: 'zip', use: 'code', key: assetKey(zip, 'zip') }];
  const role = text(configuration.Role);
  const fn: CloudFormationResource = {
    Type: TYPE,
    Properties: properties({
      ...Object.fromEntries(SAME_NAMES.map((name) => [name, configuration[name]])),
      Code: image
        ? properties({ ImageUri: code.ImageUri })
        : { S3Bucket: { Ref: ASSETS_BUCKET_PARAMETER }, S3Key: assetKey(zip as string, 'zip') },
      Role: role === undefined ? undefined : refs.arn(role),
      Environment: renamed(configuration.Environment, { Variables: 'Variables' }),
      KmsKeyArn: configuration.KMSKeyArn,
      Layers: objectsOf(configuration.Layers).map((layer) => layer.Arn ?? null),
      VpcConfig: vpc(configuration.VpcConfig),
      ImageConfig: isJsonObject(configuration.ImageConfigResponse)
        ? configuration.ImageConfigResponse.ImageConfig
        : undefined,
      SnapStart: renamed(configuration.SnapStart, { ApplyOn: 'ApplyOn' }),
      ReservedConcurrentExecutions: isJsonObject(document.Concurrency)
        ? document.Concurrency.ReservedConcurrentExecutions
        : undefined,
      Tags: tagList(document.Tags),
    }),
  };
  const arn = { 'Fn::GetAtt': [functionId, 'Arn'] };
  const leftOut: string[] = [];
  const resources: Record<string, CloudFormationResource> = {
    [functionId]: fn,
    ...functionUrl(resource.region, resource.id, document.FunctionUrlConfig, arn),
    ...permissions(resource.region, resource.id, document.Policy, functionId, leftOut),
    ...eventSourceMappings(resource.region, document.EventSourceMappings, functionId, refs),
  };
  for (const part of ['Versions', 'Aliases'])
    if (!isEmpty(document[part]))
      leftOut.push(
        `${part}: a template publishes a version of the code it deploys, not the versions captured`,
      );
  return { resources, assets, ...(leftOut.length > 0 ? { leftOut } : {}) };
}

/** The VPC settings of a function in a VPC; none for one outside any (Lambda reports empty lists for it). */
function vpc(value: Json | undefined): Json | undefined {
  if (!isJsonObject(value) || isEmpty(value.SubnetIds)) return undefined;
  return renamed(value, {
    SubnetIds: 'SubnetIds',
    SecurityGroupIds: 'SecurityGroupIds',
    Ipv6AllowedForDualStack: 'Ipv6AllowedForDualStack',
  });
}

function functionUrl(
  region: string,
  name: string,
  value: Json | undefined,
  arn: Json,
): Record<string, CloudFormationResource> {
  if (!isJsonObject(value)) return {};
  return {
    [logicalId('AWS::Lambda::Url', region, name)]: {
      Type: 'AWS::Lambda::Url',
      Properties: properties({
        TargetFunctionArn: arn,
        AuthType: value.AuthType,
        InvokeMode: value.InvokeMode,
        Cors: value.Cors,
      }),
    },
  };
}

/** One `AWS::Lambda::Permission` per statement of the resource policy; a statement it cannot express is left out. */
function permissions(
  region: string,
  name: string,
  policy: Json | undefined,
  functionId: string,
  leftOut: string[],
): Record<string, CloudFormationResource> {
  const resources: Record<string, CloudFormationResource> = {};
  const statements = isJsonObject(policy) ? objectsOf(policy.Statement) : [];
  statements.forEach((statement, index) => {
    const sid = text(statement.Sid) ?? String(index);
    const permission = permissionOf(statement);
    if (permission === undefined) {
      leftOut.push(`Policy statement ${sid}: an AWS::Lambda::Permission cannot express it`);
      return;
    }
    resources[logicalId('AWS::Lambda::Permission', region, `${name}/${sid}`)] = {
      Type: 'AWS::Lambda::Permission',
      Properties: { FunctionName: { Ref: functionId }, ...permission },
    };
  });
  return resources;
}

/** A policy statement as permission properties: one allowed action, one principal, conditions a permission has. */
function permissionOf(statement: JsonObject): JsonObject | undefined {
  const action = single(statement.Action);
  const principal = principalOf(statement.Principal);
  if (statement.Effect !== 'Allow' || action === undefined || principal === undefined) return undefined;
  const result: JsonObject = { Action: action, Principal: principal };
  const conditions = isJsonObject(statement.Condition) ? statement.Condition : {};
  for (const [operator, block] of Object.entries(conditions)) {
    if (!isJsonObject(block)) return undefined;
    for (const [key, value] of Object.entries(block)) {
      const known = PERMISSION_CONDITIONS.find(
        ([op, name]) => op === operator && name.toLowerCase() === key.toLowerCase(),
      );
      const condition = single(value);
      if (!known || condition === undefined) return undefined;
      result[known[2]] = condition;
    }
  }
  return result;
}

/** The principal of a statement as a permission names it: `*`, a service, or an account or ARN. */
function principalOf(value: Json | undefined): string | undefined {
  if (value === '*') return '*';
  if (!isJsonObject(value) || Object.keys(value).length !== 1) return undefined;
  return single(value.Service ?? value.AWS);
}

/** The one string of a value that is a string or a list of one. */
function single(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) && value.length === 1 ? text(value[0]) : undefined;
}

function eventSourceMappings(
  region: string,
  value: Json | undefined,
  functionId: string,
  refs: ExportReferences,
): Record<string, CloudFormationResource> {
  const resources: Record<string, CloudFormationResource> = {};
  for (const mapping of objectsOf(value)) {
    const uuid = text(mapping.UUID);
    if (uuid === undefined) continue;
    const source = text(mapping.EventSourceArn);
    resources[logicalId('AWS::Lambda::EventSourceMapping', region, uuid)] = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: properties({
        FunctionName: { Ref: functionId },
        ...Object.fromEntries(MAPPING_FIELDS.map((name) => [name, mapping[name]])),
        EventSourceArn: source === undefined ? undefined : refs.arn(source),
      }),
    };
  }
  return resources;
}
