import type { JsonObject } from '../types/json.js';

/** CloudFormation's quotas a template meets when deployed as one stack. */
export const CLOUDFORMATION_LIMITS = {
  /** Resources declared in one template. */
  resources: 500,
  /** Parameters declared in one template. */
  parameters: 200,
  /** Bytes of a template body given through S3 (`--s3-bucket`, `TemplateURL`). */
  templateBytes: 1_048_576,
} as const;

/**
 * What in a template CloudFormation would refuse to deploy as one stack: more resources, parameters or bytes than
 * its quotas allow, each as one sentence saying what to do. Empty when it fits. Pure.
 */
export function cloudFormationLimitWarnings(template: JsonObject, templateBytes: number): string[] {
  const count = (section: string) => {
    const value = template[section];
    return value && typeof value === 'object' ? Object.keys(value).length : 0;
  };
  const warnings: string[] = [];
  const resources = count('Resources');
  if (resources > CLOUDFORMATION_LIMITS.resources)
    warnings.push(
      `the template declares ${resources} resources and a stack holds at most ${CLOUDFORMATION_LIMITS.resources}: export part of it at a time (--type, --id)`,
    );
  const parameters = count('Parameters');
  if (parameters > CLOUDFORMATION_LIMITS.parameters)
    warnings.push(
      `the template declares ${parameters} parameters and a stack takes at most ${CLOUDFORMATION_LIMITS.parameters}: export fewer functions with secrets at a time (--id)`,
    );
  if (templateBytes > CLOUDFORMATION_LIMITS.templateBytes)
    warnings.push(
      `the template is ${templateBytes} bytes and CloudFormation reads at most ${CLOUDFORMATION_LIMITS.templateBytes} from S3: export part of it at a time (--type, --id)`,
    );
  return warnings;
}
