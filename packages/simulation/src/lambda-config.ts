import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import {
  type AccountModel,
  type FunctionStatus,
  type FunctionVersion,
  optional,
  type SimFunction,
} from './model.js';

/**
 * How much of a function configuration an API returns: `ListFunctions` and `ListVersionsByFunction` leave out the
 * state fields and `RuntimeVersionConfig` that `GetFunction` includes.
 */
export type ConfigurationDetail = 'list' | 'get';

/** Lambda's `LastModified` format: `2024-05-01T12:00:00.000+0000`. */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

/**
 * The `FunctionConfiguration` Lambda returns for one version, with only the fields AWS includes for it.
 * `arnQualifier` qualifies `FunctionArn` (a version number, an alias name, or `$LATEST` in `ListVersionsByFunction`).
 */
export function functionConfiguration(
  model: AccountModel,
  fn: SimFunction,
  version: FunctionVersion,
  detail: ConfigurationDetail,
  arnQualifier?: string,
): FunctionConfiguration {
  const { settings } = version;
  return {
    FunctionName: fn.name,
    FunctionArn: model.functionArn(fn.name, arnQualifier),
    Runtime: settings.runtime as never,
    Role: settings.role,
    Handler: settings.handler,
    CodeSize: version.code.size,
    Description: settings.description,
    Timeout: settings.timeout,
    MemorySize: settings.memorySize,
    LastModified: lambdaTimestamp(version.lastModified),
    CodeSha256: version.code.sha256,
    Version: version.version,
    ...(settings.environment === undefined
      ? {}
      : { Environment: { Variables: { ...settings.environment } } }),
    ...optional('KMSKeyArn', settings.kmsKeyArn),
    TracingConfig: { Mode: settings.tracingMode },
    RevisionId: version.revisionId,
    ...(settings.layers.length > 0 ? { Layers: settings.layers.map((layer) => ({ ...layer })) } : {}),
    ...(settings.deadLetterTargetArn
      ? { DeadLetterConfig: { TargetArn: settings.deadLetterTargetArn } }
      : {}),
    ...(detail === 'get' ? statusFields(fn.status) : {}),
    PackageType: 'Zip',
    Architectures: [...settings.architectures] as never,
    EphemeralStorage: { Size: settings.ephemeralStorageSize },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    ...(detail === 'get' ? { RuntimeVersionConfig: { RuntimeVersionArn: settings.runtimeVersionArn } } : {}),
    LoggingConfig: {
      LogFormat: settings.logFormat,
      ...optional('ApplicationLogLevel', settings.applicationLogLevel as never),
      ...optional('SystemLogLevel', settings.systemLogLevel as never),
      LogGroup: settings.logGroup ?? `/aws/lambda/${fn.name}`,
    },
  };
}

/**
 * The configuration an update (`UpdateFunctionCode`, `UpdateFunctionConfiguration`) answers with: the new settings,
 * reported while Lambda still applies them (`LastUpdateStatus` `InProgress`, with the reason Lambda gives).
 */
export function updatingConfiguration(
  model: AccountModel,
  fn: SimFunction,
  version: FunctionVersion = fn.latest,
  arnQualifier?: string,
): FunctionConfiguration {
  return {
    ...functionConfiguration(model, fn, version, 'get', arnQualifier),
    LastUpdateStatus: 'InProgress',
    LastUpdateStatusReason: 'The function is being created.',
    // Lambda answers `Creating` here, a code the SDK's enum does not list.
    LastUpdateStatusReasonCode: 'Creating' as never,
  };
}

/** The configuration `CreateFunction` answers with: the new function, `Pending` while Lambda creates it. */
export function creatingConfiguration(
  model: AccountModel,
  fn: SimFunction,
  version: FunctionVersion = fn.latest,
  arnQualifier?: string,
): FunctionConfiguration {
  const { LastUpdateStatus, LastUpdateStatusReason, LastUpdateStatusReasonCode, ...configuration } =
    functionConfiguration(model, fn, version, 'get', arnQualifier);
  return {
    ...configuration,
    State: 'Pending',
    StateReason: 'The function is being created.',
    StateReasonCode: 'Creating',
  };
}

/** The state fields of `GetFunction`'s configuration, with a reason only where the state has one. */
function statusFields(status: FunctionStatus = { state: 'Active', lastUpdateStatus: 'Successful' }) {
  return {
    State: status.state,
    ...(status.stateReason ? { StateReason: status.stateReason } : {}),
    ...(status.stateReasonCode ? { StateReasonCode: status.stateReasonCode as never } : {}),
    LastUpdateStatus: status.lastUpdateStatus,
    ...(status.lastUpdateStatusReason ? { LastUpdateStatusReason: status.lastUpdateStatusReason } : {}),
    ...(status.lastUpdateStatusReasonCode
      ? { LastUpdateStatusReasonCode: status.lastUpdateStatusReasonCode as never }
      : {}),
  };
}
