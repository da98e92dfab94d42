import {
  AccessDenied,
  CloudFrontClient,
  CloudFrontServiceException,
  CNAMEAlreadyExists,
  DescribeFunctionCommand,
  GetCachePolicyCommand,
  GetCloudFrontOriginAccessIdentityCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetFunctionCommand,
  GetKeyGroupCommand,
  GetOriginAccessControlCommand,
  GetOriginRequestPolicyCommand,
  GetPublicKeyCommand,
  GetResponseHeadersPolicyCommand,
  IllegalUpdate,
  InconsistentQuantities,
  InvalidArgument,
  InvalidIfMatchVersion,
  ListCachePoliciesCommand,
  ListCloudFrontOriginAccessIdentitiesCommand,
  ListDistributionsCommand,
  ListFunctionsCommand,
  ListKeyGroupsCommand,
  ListOriginAccessControlsCommand,
  ListOriginRequestPoliciesCommand,
  ListPublicKeysCommand,
  ListResponseHeadersPoliciesCommand,
  ListTagsForResourceCommand,
  MissingBody,
  NoSuchCachePolicy,
  NoSuchCloudFrontOriginAccessIdentity,
  NoSuchDistribution,
  NoSuchFunctionExists,
  NoSuchOrigin,
  NoSuchOriginAccessControl,
  NoSuchOriginRequestPolicy,
  NoSuchPublicKey,
  NoSuchResource,
  NoSuchResponseHeadersPolicy,
  PreconditionFailed,
} from '@aws-sdk/client-cloudfront';
import { Uint8ArrayBlobAdapter } from '@smithy/util-stream';
import { type CallTarget, defineOperation, type Operation, type ServiceProfile } from '../dispatch.js';
import { DENIED_BY, fault, notAuthorized } from '../errors.js';
import { compareKeys, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import type { SimulationContext } from '../service-simulator.js';
import type { CloudFrontState, SimCloudFrontFunction, SimPolicy, StageName } from './model.js';
import { distributionSummary, distributionView, functionSummary } from './views.js';

/** CloudFront lists at most this many items per page, and this many by default. */
const MAX_ITEMS = 100;

/** One page of a listing: the items, the page size asked for, and the opaque marker of the next page. */
interface ListPage<T> {
  readonly items: T[];
  readonly maxItems: number;
  readonly next?: string;
}

/** Sorts `items` by key and returns the page after `Marker`, `MaxItems` long (at most {@link MAX_ITEMS}). */
function listPage<T>(
  items: Iterable<T>,
  keyOf: (item: T) => string,
  input: { readonly Marker?: string | undefined; readonly MaxItems?: number | undefined },
): ListPage<T> {
  const after = input.Marker ? decodeMarker(input.Marker) : undefined;
  if (input.Marker && after === undefined)
    throw fault('InvalidArgument', 400, 'The value of Marker is not valid.');
  const maxItems = Math.min(Math.max(input.MaxItems ?? MAX_ITEMS, 1), MAX_ITEMS);
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const { page, nextKey } = pageAfter(sorted, keyOf, after, maxItems);
  return {
    items: page,
    maxItems,
    ...optional('next', nextKey === undefined ? undefined : encodeMarker(nextKey)),
  };
}

/** The list fields every CloudFront list answer has: `NextMarker`, `MaxItems`, `Quantity` and `Items` (absent when empty). */
function listFields<T, I>(page: ListPage<T>, view: (item: T) => I) {
  return {
    ...optional('NextMarker', page.next),
    MaxItems: page.maxItems,
    Quantity: page.items.length,
    ...optional('Items', page.items.length > 0 ? page.items.map(view) : undefined),
  };
}

/** The fields of the listings that also echo their `Marker` and say whether they were cut short. */
function markedListFields<T, I>(page: ListPage<T>, marker: string | undefined, view: (item: T) => I) {
  return { Marker: marker ?? '', IsTruncated: page.next !== undefined, ...listFields(page, view) };
}

/** The entry of `map` under `id`, or the service's 404 for that kind of resource. */
function found<T>(map: ReadonlyMap<string, T>, id: string | undefined, code: string, message: string): T {
  const item = id === undefined ? undefined : map.get(id);
  if (item === undefined) throw fault(code, 404, message);
  return item;
}

/** Policies of the type asked for (`managed`, `custom`), or all. */
function policiesOfType<Config>(
  policies: ReadonlyMap<string, SimPolicy<Config>>,
  type: string | undefined,
): SimPolicy<Config>[] {
  return [...policies.values()].filter((policy) => type === undefined || policy.type === type);
}

/** The id and last change of a policy, as every policy shape starts. */
function policyHead<Config>(policy: SimPolicy<Config>) {
  return { Id: policy.id, LastModifiedTime: policy.lastModified };
}

const NO_FUNCTION = 'The function does not exist.';

/**
 * The CloudFront API of the simulated account: distributions, custom and AWS managed policies, functions, origin
 * access controls and identities, key groups, public keys and distribution tags, with CloudFront's list shapes
 * (`Marker`/`NextMarker`, `Quantity`, `Items` absent when empty), ETags and error codes, with `writes` (see
 * `cloudFrontWriteOperations`) beside these reads. Global: every region answers the same. Markers are opaque tokens.
 */
export function cloudFrontProfile(
  state: CloudFrontState,
  context: SimulationContext,
  writes: readonly Operation[] = [],
): ServiceProfile {
  const target =
    (resourceType: string) =>
    (input: { Id?: string | undefined; Name?: string | undefined }): CallTarget => {
      const id = input.Id ?? input.Name ?? '';
      return { ids: [id], arn: state.arn(resourceType, id) };
    };
  const distributionOf = (id: string | undefined) =>
    found(state.distributions, id, 'NoSuchDistribution', 'The specified distribution does not exist.');
  const functionOf = (name: string | undefined) =>
    found(state.functions, name, 'NoSuchFunctionExists', NO_FUNCTION);
  const stageOf = (fn: SimCloudFrontFunction, stage: StageName) => {
    const answer = state.stage(fn, stage);
    if (!answer) throw fault('NoSuchFunctionExists', 404, NO_FUNCTION);
    return answer;
  };

  return {
    service: 'cloudfront',
    exceptions: {
      base: CloudFrontServiceException,
      modeled: {
        AccessDenied,
        CNAMEAlreadyExists,
        IllegalUpdate,
        InconsistentQuantities,
        InvalidArgument,
        InvalidIfMatchVersion,
        MissingBody,
        NoSuchCachePolicy,
        NoSuchCloudFrontOriginAccessIdentity,
        NoSuchDistribution,
        NoSuchFunctionExists,
        NoSuchOrigin,
        NoSuchOriginAccessControl,
        NoSuchOriginRequestPolicy,
        NoSuchPublicKey,
        NoSuchResource,
        NoSuchResponseHeadersPolicy,
        PreconditionFailed,
      },
    },
    client: CloudFrontClient,
    injectedFault(kind, action, callTarget) {
      if (kind === 'throttled') return fault('Throttling', 400, 'Rate exceeded');
      return fault(
        'AccessDenied',
        403,
        notAuthorized(context.model.caller.arn, action, callTarget.arn, DENIED_BY.noIdentityPolicy(action)),
      );
    },
    operations: [
      defineOperation(ListDistributionsCommand, {
        action: 'cloudfront:ListDistributions',
        answer: (input) => {
          const page = listPage(state.distributions.values(), (distribution) => distribution.id, input);
          const now = context.now();
          return {
            DistributionList: markedListFields(page, input.Marker, (item) => distributionSummary(item, now)),
          };
        },
      }),
      defineOperation(GetDistributionCommand, {
        action: 'cloudfront:GetDistribution',
        target: target('distribution'),
        answer: (input) => {
          const distribution = distributionOf(input.Id);
          return {
            Distribution: distributionView(state, distribution, context.now()),
            ETag: distribution.etag,
          };
        },
      }),
      defineOperation(GetDistributionConfigCommand, {
        action: 'cloudfront:GetDistributionConfig',
        target: target('distribution'),
        answer: (input) => {
          const distribution = distributionOf(input.Id);
          return { DistributionConfig: structuredClone(distribution.config), ETag: distribution.etag };
        },
      }),
      defineOperation(ListTagsForResourceCommand, {
        action: 'cloudfront:ListTagsForResource',
        target: (input) => ({ ids: [input.Resource?.split('/').pop() ?? ''], arn: input.Resource ?? '*' }),
        answer: (input) => {
          const distribution = [...state.distributions.values()].find((item) => item.arn === input.Resource);
          if (!distribution) throw fault('NoSuchResource', 404, 'The specified resource does not exist.');
          return { Tags: { Items: structuredClone(distribution.tags) } };
        },
      }),
      defineOperation(ListCachePoliciesCommand, {
        action: 'cloudfront:ListCachePolicies',
        answer: (input) => {
          const page = listPage(
            policiesOfType(state.cachePolicies, input.Type),
            (policy) => policy.id,
            input,
          );
          return {
            CachePolicyList: listFields(page, (policy) => ({
              Type: policy.type,
              CachePolicy: { ...policyHead(policy), CachePolicyConfig: structuredClone(policy.config) },
            })),
          };
        },
      }),
      defineOperation(GetCachePolicyCommand, {
        action: 'cloudfront:GetCachePolicy',
        target: target('cache-policy'),
        answer: (input) => {
          const policy = found(
            state.cachePolicies,
            input.Id,
            'NoSuchCachePolicy',
            'The cache policy does not exist.',
          );
          return {
            CachePolicy: { ...policyHead(policy), CachePolicyConfig: structuredClone(policy.config) },
            ETag: policy.etag,
          };
        },
      }),
      defineOperation(ListOriginRequestPoliciesCommand, {
        action: 'cloudfront:ListOriginRequestPolicies',
        answer: (input) => {
          const policies = policiesOfType(state.originRequestPolicies, input.Type);
          const page = listPage(policies, (policy) => policy.id, input);
          return {
            OriginRequestPolicyList: listFields(page, (policy) => ({
              Type: policy.type,
              OriginRequestPolicy: {
                ...policyHead(policy),
                OriginRequestPolicyConfig: structuredClone(policy.config),
              },
            })),
          };
        },
      }),
      defineOperation(GetOriginRequestPolicyCommand, {
        action: 'cloudfront:GetOriginRequestPolicy',
        target: target('origin-request-policy'),
        answer: (input) => {
          const policy = found(
            state.originRequestPolicies,
            input.Id,
            'NoSuchOriginRequestPolicy',
            'The origin request policy does not exist.',
          );
          return {
            OriginRequestPolicy: {
              ...policyHead(policy),
              OriginRequestPolicyConfig: structuredClone(policy.config),
            },
            ETag: policy.etag,
          };
        },
      }),
      defineOperation(ListResponseHeadersPoliciesCommand, {
        action: 'cloudfront:ListResponseHeadersPolicies',
        answer: (input) => {
          const policies = policiesOfType(state.responseHeadersPolicies, input.Type);
          const page = listPage(policies, (policy) => policy.id, input);
          return {
            ResponseHeadersPolicyList: listFields(page, (policy) => ({
              Type: policy.type,
              ResponseHeadersPolicy: {
                ...policyHead(policy),
                ResponseHeadersPolicyConfig: structuredClone(policy.config),
              },
            })),
          };
        },
      }),
      defineOperation(GetResponseHeadersPolicyCommand, {
        action: 'cloudfront:GetResponseHeadersPolicy',
        target: target('response-headers-policy'),
        answer: (input) => {
          const policy = found(
            state.responseHeadersPolicies,
            input.Id,
            'NoSuchResponseHeadersPolicy',
            'The response headers policy does not exist.',
          );
          return {
            ResponseHeadersPolicy: {
              ...policyHead(policy),
              ResponseHeadersPolicyConfig: structuredClone(policy.config),
            },
            ETag: policy.etag,
          };
        },
      }),
      defineOperation(ListFunctionsCommand, {
        action: 'cloudfront:ListFunctions',
        answer: (input) => {
          const stages: StageName[] = input.Stage ? [input.Stage] : ['DEVELOPMENT', 'LIVE'];
          const entries = [...state.functions.values()].flatMap((fn) =>
            stages.flatMap((stageName) => {
              const stage = state.stage(fn, stageName);
              return stage ? [{ fn, stageName, stage }] : [];
            }),
          );
          const page = listPage(entries, (entry) => `${entry.fn.name}/${entry.stageName}`, input);
          return {
            FunctionList: listFields(page, (entry) =>
              functionSummary(state, entry.fn, entry.stageName, entry.stage),
            ),
          };
        },
      }),
      defineOperation(DescribeFunctionCommand, {
        action: 'cloudfront:DescribeFunction',
        target: target('function'),
        answer: (input) => {
          const fn = functionOf(input.Name);
          const stageName = input.Stage ?? 'LIVE';
          const stage = stageOf(fn, stageName);
          return { FunctionSummary: functionSummary(state, fn, stageName, stage), ETag: stage.etag };
        },
      }),
      defineOperation(GetFunctionCommand, {
        action: 'cloudfront:GetFunction',
        target: target('function'),
        answer: (input) => {
          const stage = stageOf(functionOf(input.Name), input.Stage ?? 'LIVE');
          return {
            FunctionCode: Uint8ArrayBlobAdapter.mutate(Uint8Array.from(stage.code)),
            ETag: stage.etag,
            ContentType: 'application/octet-stream',
          };
        },
      }),
      defineOperation(ListOriginAccessControlsCommand, {
        action: 'cloudfront:ListOriginAccessControls',
        answer: (input) => {
          const page = listPage(state.originAccessControls.values(), (control) => control.id, input);
          return {
            OriginAccessControlList: markedListFields(page, input.Marker, (control) => ({
              Id: control.id,
              Description: control.config.Description ?? '',
              Name: control.config.Name,
              SigningProtocol: control.config.SigningProtocol,
              SigningBehavior: control.config.SigningBehavior,
              OriginAccessControlOriginType: control.config.OriginAccessControlOriginType,
            })),
          };
        },
      }),
      defineOperation(GetOriginAccessControlCommand, {
        action: 'cloudfront:GetOriginAccessControl',
        target: target('origin-access-control'),
        answer: (input) => {
          const control = found(
            state.originAccessControls,
            input.Id,
            'NoSuchOriginAccessControl',
            'The origin access control does not exist.',
          );
          return {
            OriginAccessControl: {
              Id: control.id,
              OriginAccessControlConfig: structuredClone(control.config),
            },
            ETag: control.etag,
          };
        },
      }),
      defineOperation(ListKeyGroupsCommand, {
        action: 'cloudfront:ListKeyGroups',
        answer: (input) => {
          const page = listPage(state.keyGroups.values(), (group) => group.id, input);
          return {
            KeyGroupList: listFields(page, (group) => ({
              KeyGroup: {
                Id: group.id,
                LastModifiedTime: group.lastModified,
                KeyGroupConfig: structuredClone(group.config),
              },
            })),
          };
        },
      }),
      defineOperation(GetKeyGroupCommand, {
        action: 'cloudfront:GetKeyGroup',
        target: target('key-group'),
        answer: (input) => {
          const group = found(
            state.keyGroups,
            input.Id,
            'NoSuchResource',
            'The specified key group does not exist.',
          );
          return {
            KeyGroup: {
              Id: group.id,
              LastModifiedTime: group.lastModified,
              KeyGroupConfig: structuredClone(group.config),
            },
            ETag: group.etag,
          };
        },
      }),
      defineOperation(ListPublicKeysCommand, {
        action: 'cloudfront:ListPublicKeys',
        answer: (input) => {
          const page = listPage(state.publicKeys.values(), (key) => key.id, input);
          return {
            PublicKeyList: listFields(page, (key) => ({
              Id: key.id,
              Name: key.config.Name,
              CreatedTime: key.created,
              EncodedKey: key.config.EncodedKey,
              ...optional('Comment', key.config.Comment),
            })),
          };
        },
      }),
      defineOperation(GetPublicKeyCommand, {
        action: 'cloudfront:GetPublicKey',
        target: target('public-key'),
        answer: (input) => {
          const key = found(
            state.publicKeys,
            input.Id,
            'NoSuchPublicKey',
            'The specified public key does not exist.',
          );
          return {
            PublicKey: { Id: key.id, CreatedTime: key.created, PublicKeyConfig: structuredClone(key.config) },
            ETag: key.etag,
          };
        },
      }),
      defineOperation(ListCloudFrontOriginAccessIdentitiesCommand, {
        action: 'cloudfront:ListCloudFrontOriginAccessIdentities',
        answer: (input) => {
          const page = listPage(state.originAccessIdentities.values(), (identity) => identity.id, input);
          return {
            CloudFrontOriginAccessIdentityList: markedListFields(page, input.Marker, (identity) => ({
              Id: identity.id,
              S3CanonicalUserId: identity.s3CanonicalUserId,
              Comment: identity.config.Comment,
            })),
          };
        },
      }),
      defineOperation(GetCloudFrontOriginAccessIdentityCommand, {
        action: 'cloudfront:GetCloudFrontOriginAccessIdentity',
        target: target('origin-access-identity'),
        answer: (input) => {
          const identity = found(
            state.originAccessIdentities,
            input.Id,
            'NoSuchCloudFrontOriginAccessIdentity',
            'The specified origin access identity does not exist.',
          );
          return {
            CloudFrontOriginAccessIdentity: {
              Id: identity.id,
              S3CanonicalUserId: identity.s3CanonicalUserId,
              CloudFrontOriginAccessIdentityConfig: structuredClone(identity.config),
            },
            ETag: identity.etag,
          };
        },
      }),
      ...writes,
    ],
  };
}
