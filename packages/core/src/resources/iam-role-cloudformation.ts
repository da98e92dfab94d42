import { isEmpty, logicalId, properties, tagList, text } from '../export/mapping.js';
import type { CloudFormationInput, CloudFormationMapping, CloudFormationSpec } from '../export/types.js';
import { isJsonObject } from './support.js';

/** The path of service-linked roles: `/aws-service-role/<service principal>/`. */
const SERVICE_LINKED_PATH = /^\/aws-service-role\/([^/]+)\/$/;

/**
 * `AWS::IAM::Role` as CloudFormation: the role with its trust policy, description, session duration, permissions
 * boundary, inline policies, attached managed policies and tags; a service-linked role as an
 * `AWS::IAM::ServiceLinkedRole`, which names only its service (AWS sets its policies). Instance profiles are left out.
 */
export const iamRoleCloudFormation: CloudFormationSpec = {
  arn: (_resource, document) => (isJsonObject(document.Role) ? text(document.Role.Arn) : undefined),
  map: mapRole,
};

function mapRole({ resource, document, refs }: CloudFormationInput): CloudFormationMapping {
  const role = isJsonObject(document.Role) ? document.Role : {};
  const id = logicalId(resource.type, resource.region, resource.id);
  const service = SERVICE_LINKED_PATH.exec(text(role.Path) ?? '')?.[1];
  if (service !== undefined) {
    const suffix = resource.id.split('_').slice(1).join('_');
    return {
      resources: {
        [id]: {
          Type: 'AWS::IAM::ServiceLinkedRole',
          Properties: properties({
            AWSServiceName: service,
            CustomSuffix: suffix === '' ? undefined : suffix,
            Description: role.Description,
          }),
        },
      },
    };
  }
  const inline = isJsonObject(document.InlinePolicies) ? document.InlinePolicies : {};
  const attached = isJsonObject(document.AttachedPolicies)
    ? Object.keys(document.AttachedPolicies).sort()
    : [];
  const boundary = isJsonObject(role.PermissionsBoundary)
    ? text(role.PermissionsBoundary.PermissionsBoundaryArn)
    : undefined;
  return {
    resources: {
      [id]: {
        Type: resource.type,
        Properties: properties({
          RoleName: resource.id,
          Path: role.Path,
          Description: role.Description,
          AssumeRolePolicyDocument: role.AssumeRolePolicyDocument,
          MaxSessionDuration: role.MaxSessionDuration,
          PermissionsBoundary: boundary === undefined ? undefined : refs.arn(boundary),
          ManagedPolicyArns: attached.map((arn) => refs.arn(arn)),
          Policies: Object.keys(inline)
            .sort()
            .map((PolicyName) => ({ PolicyName, PolicyDocument: inline[PolicyName] ?? null })),
          Tags: tagList(document.Tags),
        }),
      },
    },
    ...(isEmpty(document.InstanceProfiles)
      ? {}
      : { leftOut: ['InstanceProfiles: each is a resource of its own (AWS::IAM::InstanceProfile)'] }),
  };
}
