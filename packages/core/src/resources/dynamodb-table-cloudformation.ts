import { isEmpty, logicalId, objectsOf, properties, renamed, tagList, text } from '../export/mapping.js';
import type { CloudFormationInput, CloudFormationMapping, CloudFormationSpec } from '../export/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { isJsonObject } from './support.js';

/** Statuses that mean a setting is on (or being turned on). */
const ON = ['ENABLED', 'ENABLING'];

/**
 * `AWS::DynamoDB::Table` as CloudFormation: key schema, attributes, billing mode and capacity, secondary indexes,
 * stream, encryption, table class, deletion protection, TTL, point-in-time recovery, resource policy and tags. Its
 * items are listed as not described (CloudFormation has no item resource); auto scaling is left out.
 */
export const dynamoDbTableCloudFormation: CloudFormationSpec = {
  arn: (_resource, document) => (isJsonObject(document.Table) ? text(document.Table.TableArn) : undefined),
  map: mapTable,
};

function mapTable({ resource, document }: CloudFormationInput): CloudFormationMapping {
  const table = isJsonObject(document.Table) ? document.Table : {};
  const billing =
    (isJsonObject(table.BillingModeSummary) ? text(table.BillingModeSummary.BillingMode) : undefined) ??
    'PROVISIONED';
  const capacity = (value: Json | undefined) =>
    billing === 'PROVISIONED'
      ? renamed(value, { ReadCapacityUnits: 'ReadCapacityUnits', WriteCapacityUnits: 'WriteCapacityUnits' })
      : undefined;
  const onDemand = (value: Json | undefined) =>
    renamed(value, {
      MaxReadRequestUnits: 'MaxReadRequestUnits',
      MaxWriteRequestUnits: 'MaxWriteRequestUnits',
    });
  const index = (value: JsonObject) =>
    properties({
      IndexName: value.IndexName,
      KeySchema: value.KeySchema,
      Projection: renamed(value.Projection, {
        ProjectionType: 'ProjectionType',
        NonKeyAttributes: 'NonKeyAttributes',
      }),
    });
  const stream = isJsonObject(table.StreamSpecification) ? table.StreamSpecification : {};
  const encryption = isJsonObject(table.SSEDescription) ? table.SSEDescription : {};
  const ttl = isJsonObject(document.TimeToLive) ? document.TimeToLive : {};
  const backups = isJsonObject(document.ContinuousBackups)
    ? document.ContinuousBackups.PointInTimeRecoveryDescription
    : undefined;
  const recovery = isJsonObject(backups) ? backups : {};
  const items =
    isJsonObject(document.Items) && typeof document.Items.Count === 'number' ? document.Items.Count : 0;
  return {
    resources: {
      [logicalId(resource.type, resource.region, resource.id)]: {
        Type: resource.type,
        Properties: properties({
          TableName: resource.id,
          AttributeDefinitions: objectsOf(table.AttributeDefinitions).map((attribute) =>
            properties({ AttributeName: attribute.AttributeName, AttributeType: attribute.AttributeType }),
          ),
          KeySchema: table.KeySchema,
          BillingMode: billing,
          ProvisionedThroughput: capacity(table.ProvisionedThroughput),
          OnDemandThroughput: onDemand(table.OnDemandThroughput),
          GlobalSecondaryIndexes: objectsOf(table.GlobalSecondaryIndexes).map((gsi) =>
            properties({
              ...index(gsi),
              ProvisionedThroughput: capacity(gsi.ProvisionedThroughput),
              OnDemandThroughput: onDemand(gsi.OnDemandThroughput),
            }),
          ),
          LocalSecondaryIndexes: objectsOf(table.LocalSecondaryIndexes).map(index),
          StreamSpecification:
            stream.StreamEnabled === true ? properties({ StreamViewType: stream.StreamViewType }) : undefined,
          SSESpecification: ON.includes(String(encryption.Status))
            ? properties({
                SSEEnabled: true,
                SSEType: encryption.SSEType,
                KMSMasterKeyId: encryption.KMSMasterKeyArn,
              })
            : undefined,
          TableClass: isJsonObject(table.TableClassSummary) ? table.TableClassSummary.TableClass : undefined,
          DeletionProtectionEnabled: table.DeletionProtectionEnabled,
          TimeToLiveSpecification: ON.includes(String(ttl.TimeToLiveStatus))
            ? { AttributeName: ttl.AttributeName ?? null, Enabled: true }
            : undefined,
          PointInTimeRecoverySpecification: ON.includes(String(recovery.PointInTimeRecoveryStatus))
            ? properties({
                PointInTimeRecoveryEnabled: true,
                RecoveryPeriodInDays: recovery.RecoveryPeriodInDays,
              })
            : undefined,
          ResourcePolicy: isJsonObject(document.ResourcePolicy)
            ? { PolicyDocument: document.ResourcePolicy }
            : undefined,
          Tags: tagList(document.Tags),
        }),
      },
    },
    ...(autoScaled(document.AutoScaling)
      ? {
          leftOut: [
            'AutoScaling: its targets and policies are resources of their own (AWS::ApplicationAutoScaling::…)',
          ],
        }
      : {}),
    ...(items > 0
      ? {
          notDescribed: `its ${items} items: CloudFormation has no item resource (tidemark restore puts them back)`,
        }
      : {}),
  };
}

/** Whether any scalable target or scaling policy was captured. */
function autoScaled(value: Json | undefined): boolean {
  return isJsonObject(value) && (!isEmpty(value.ScalableTargets) || !isEmpty(value.ScalingPolicies));
}
