import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AccountModel, FunctionStatus, FunctionVersion, SimFunction } from './model.js';

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
    LoggingConfig: { LogFormat: settings.logFormat, LogGroup: `/aws/lambda/${fn.name}` },
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
