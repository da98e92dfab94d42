import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';

/** One statement of an IAM policy document, as synthesized. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** A statement's actions as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The statements of the inline policies attached to a function's execution role. */
export function roleStatements(template: Template, fn: LambdaFunction): Statement[] {
  const role = Stack.of(fn).getLogicalId(fn.role?.node.defaultChild as CfnRole);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some(
        (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: role }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** Every action a function's role allows. */
export function allowedActions(template: Template, fn: LambdaFunction): string[] {
  return roleStatements(template, fn)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap(actionsOf);
}
