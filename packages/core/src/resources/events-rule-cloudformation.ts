import { logicalId, objectsOf, properties, tagList, text } from '../export/mapping.js';
import type { CloudFormationInput, CloudFormationMapping, CloudFormationSpec } from '../export/types.js';
import { isJsonObject } from './support.js';

/** Rule fields CloudFormation names as `DescribeRule` does. */
const RULE_FIELDS = ['Name', 'Description', 'EventPattern', 'ScheduleExpression', 'State'] as const;

/** Target fields CloudFormation names, and shapes, as `ListTargetsByRule` does. */
const TARGET_FIELDS = [
  'Id',
  'InputPath',
  'InputTransformer',
  'RetryPolicy',
  'DeadLetterConfig',
  'SqsParameters',
  'KinesisParameters',
  'HttpParameters',
  'BatchParameters',
  'RunCommandParameters',
  'RedshiftDataParameters',
  'SageMakerPipelineParameters',
  'AppSyncParameters',
] as const;

/**
 * `AWS::Events::Rule` as CloudFormation: pattern or schedule, state, description, bus, role, tags and targets (a
 * target that is an exported function or bucket refers to it). A rule another service manages is not described, and
 * an ECS target's parameters (named otherwise in CloudFormation) are left out.
 */
export const eventsRuleCloudFormation: CloudFormationSpec = {
  arn: (_resource, document) => (isJsonObject(document.Rule) ? text(document.Rule.Arn) : undefined),
  map: mapRule,
};

function mapRule({ resource, document, refs }: CloudFormationInput): CloudFormationMapping {
  const rule = isJsonObject(document.Rule) ? document.Rule : {};
  const manager = text(rule.ManagedBy);
  if (manager !== undefined)
    return { resources: {}, notDescribed: `managed by ${manager}: that service creates it, not a template` };
  const leftOut: string[] = [];
  const targets = objectsOf(document.Targets).map((target) => {
    if (target.EcsParameters !== undefined)
      leftOut.push(
        `Targets.${text(target.Id)}.EcsParameters: not exported yet (CloudFormation names them otherwise)`,
      );
    const arn = text(target.Arn);
    const role = text(target.RoleArn);
    return properties({
      ...Object.fromEntries(TARGET_FIELDS.map((name) => [name, target[name]])),
      Arn: arn === undefined ? undefined : refs.arn(arn),
      RoleArn: role === undefined ? undefined : refs.arn(role),
      // The document holds constant input parsed; CloudFormation takes it as the JSON text EventBridge sends.
      Input:
        target.Input === undefined || typeof target.Input === 'string'
          ? target.Input
          : JSON.stringify(target.Input),
    });
  });
  const bus = text(rule.EventBusName);
  const role = text(rule.RoleArn);
  return {
    resources: {
      [logicalId(resource.type, resource.region, resource.id)]: {
        Type: resource.type,
        Properties: properties({
          ...Object.fromEntries(RULE_FIELDS.map((name) => [name, rule[name]])),
          EventBusName: bus === 'default' ? undefined : bus,
          RoleArn: role === undefined ? undefined : refs.arn(role),
          Targets: targets,
          Tags: tagList(document.Tags),
        }),
      },
    },
    ...(leftOut.length > 0 ? { leftOut } : {}),
  };
}
