import { partitionOf } from '../aws/partition.js';
import { logicalId, objectsOf, properties, renamed, tagList, text } from '../export/mapping.js';
import type {
  CloudFormationInput,
  CloudFormationMapping,
  CloudFormationResource,
  CloudFormationSpec,
  ExportReferences,
} from '../export/types.js';
import type { Json } from '../types/json.js';
import { S3_BUCKET_TYPE } from './s3-shared.js';
import { isJsonObject } from './support.js';

/** The grants of each canned ACL CloudFormation can set (`AccessControl`) besides the owner's full control. */
const CANNED_ACLS: ReadonlyArray<{ readonly name: string; readonly grants: readonly string[] }> = [
  { name: 'Private', grants: [] },
  { name: 'PublicRead', grants: ['AllUsers READ'] },
  { name: 'PublicReadWrite', grants: ['AllUsers READ', 'AllUsers WRITE'] },
  { name: 'AuthenticatedRead', grants: ['AuthenticatedUsers READ'] },
  { name: 'LogDeliveryWrite', grants: ['LogDelivery READ_ACP', 'LogDelivery WRITE'] },
];

/** S3 notification kinds: the document's list and target field, CloudFormation's list and target property. */
const NOTIFICATION_KINDS = [
  {
    list: 'LambdaFunctionConfigurations',
    arn: 'LambdaFunctionArn',
    to: 'LambdaConfigurations',
    target: 'Function',
  },
  { list: 'QueueConfigurations', arn: 'QueueArn', to: 'QueueConfigurations', target: 'Queue' },
  { list: 'TopicConfigurations', arn: 'TopicArn', to: 'TopicConfigurations', target: 'Topic' },
] as const;

/**
 * `AWS::S3::Bucket` as CloudFormation: the bucket with its encryption, CORS, website, public access block, versioning,
 * lifecycle, logging, replication, ownership controls, object lock, notifications, canned ACL and tags, and its
 * policy as an `AWS::S3::BucketPolicy`. Its objects are resources of their own.
 */
export const s3BucketCloudFormation: CloudFormationSpec = {
  arn: (resource) => `arn:${partitionOf(resource.region)}:s3:::${resource.id}`,
  map: mapBucket,
};

function mapBucket({ resource, document, refs }: CloudFormationInput): CloudFormationMapping {
  const leftOut: string[] = [];
  const acl = cannedAcl(document.Acl);
  if (acl === undefined)
    leftOut.push('Acl: its grants match no canned ACL, the only kind CloudFormation sets');
  if (isJsonObject(document.Versioning) && document.Versioning.MFADelete === 'Enabled')
    leftOut.push('Versioning.MFADelete: only the root user can enable it, with its MFA device');
  const lock = isJsonObject(document.ObjectLock) ? document.ObjectLock : undefined;
  const bucketId = logicalId(resource.type, resource.region, resource.id);
  const bucket: CloudFormationResource = {
    Type: S3_BUCKET_TYPE,
    Properties: properties({
      BucketName: resource.id,
      AccessControl: acl === 'Private' ? undefined : acl,
      BucketEncryption: encryption(document.Encryption),
      CorsConfiguration: cors(document.Cors),
      LifecycleConfiguration: lifecycle(document.Lifecycle),
      LoggingConfiguration: logging(document.Logging, refs),
      NotificationConfiguration: notifications(document.Notification, refs),
      ObjectLockEnabled: lock?.ObjectLockEnabled === 'Enabled' ? true : undefined,
      ObjectLockConfiguration: lock,
      OwnershipControls: document.OwnershipControls,
      PublicAccessBlockConfiguration: renamed(document.PublicAccessBlock, {
        BlockPublicAcls: 'BlockPublicAcls',
        BlockPublicPolicy: 'BlockPublicPolicy',
        IgnorePublicAcls: 'IgnorePublicAcls',
        RestrictPublicBuckets: 'RestrictPublicBuckets',
      }),
      ReplicationConfiguration: replication(document.Replication, refs),
      Tags: tagList(document.Tags),
      VersioningConfiguration: renamed(document.Versioning, { Status: 'Status' }),
      WebsiteConfiguration: website(document.Website),
    }),
  };
  const resources: Record<string, CloudFormationResource> = { [bucketId]: bucket };
  if (isJsonObject(document.Policy))
    resources[logicalId('AWS::S3::BucketPolicy', resource.region, resource.id)] = {
      Type: 'AWS::S3::BucketPolicy',
      Properties: { Bucket: { Ref: bucketId }, PolicyDocument: document.Policy },
    };
  return { resources, ...(leftOut.length > 0 ? { leftOut } : {}) };
}

/**
 * The canned ACL whose grants are the bucket's (besides its owner's full control); `Private` when no ACL was
 * captured, undefined when no canned ACL has these grants.
 */
function cannedAcl(acl: Json | undefined): string | undefined {
  if (!isJsonObject(acl)) return 'Private';
  const owner = isJsonObject(acl.Owner) ? acl.Owner.ID : undefined;
  const grants = objectsOf(acl.Grants)
    .filter(
      (grant) =>
        !(isJsonObject(grant.Grantee) && grant.Grantee.ID === owner && grant.Permission === 'FULL_CONTROL'),
    )
    .map((grant) => {
      const uri = isJsonObject(grant.Grantee) ? text(grant.Grantee.URI) : undefined;
      return `${uri?.split('/').at(-1) ?? 'other'} ${text(grant.Permission)}`;
    })
    .sort();
  return CANNED_ACLS.find((canned) => canned.grants.join() === grants.join())?.name;
}

function encryption(value: Json | undefined): Json | undefined {
  if (!isJsonObject(value)) return undefined;
  const rules = objectsOf(value.Rules).map((rule) =>
    properties({
      BucketKeyEnabled: rule.BucketKeyEnabled,
      ServerSideEncryptionByDefault: renamed(rule.ApplyServerSideEncryptionByDefault, {
        SSEAlgorithm: 'SSEAlgorithm',
        KMSMasterKeyID: 'KMSMasterKeyID',
      }),
    }),
  );
  return rules.length > 0 ? { ServerSideEncryptionConfiguration: rules } : undefined;
}

function cors(value: Json | undefined): Json | undefined {
  const rules = objectsOf(value).map((rule) =>
    properties({
      Id: rule.ID,
      AllowedHeaders: rule.AllowedHeaders,
      AllowedMethods: rule.AllowedMethods,
      AllowedOrigins: rule.AllowedOrigins,
      ExposedHeaders: rule.ExposeHeaders,
      MaxAge: rule.MaxAgeSeconds,
    }),
  );
  return rules.length > 0 ? { CorsRules: rules } : undefined;
}

function website(value: Json | undefined): Json | undefined {
  if (!isJsonObject(value)) return undefined;
  const index = isJsonObject(value.IndexDocument) ? value.IndexDocument.Suffix : undefined;
  const error = isJsonObject(value.ErrorDocument) ? value.ErrorDocument.Key : undefined;
  const routing = objectsOf(value.RoutingRules).map((rule) =>
    properties({
      RedirectRule: renamed(rule.Redirect, {
        HostName: 'HostName',
        HttpRedirectCode: 'HttpRedirectCode',
        Protocol: 'Protocol',
        ReplaceKeyPrefixWith: 'ReplaceKeyPrefixWith',
        ReplaceKeyWith: 'ReplaceKeyWith',
      }),
      RoutingRuleCondition: renamed(rule.Condition, {
        HttpErrorCodeReturnedEquals: 'HttpErrorCodeReturnedEquals',
        KeyPrefixEquals: 'KeyPrefixEquals',
      }),
    }),
  );
  return properties({
    IndexDocument: index,
    ErrorDocument: error,
    RedirectAllRequestsTo: renamed(value.RedirectAllRequestsTo, {
      HostName: 'HostName',
      Protocol: 'Protocol',
    }),
    RoutingRules: routing,
  });
}

function lifecycle(value: Json | undefined): Json | undefined {
  if (!isJsonObject(value)) return undefined;
  const rules = objectsOf(value.Rules).map((rule) => {
    const filter = isJsonObject(rule.Filter) ? rule.Filter : {};
    const and = isJsonObject(filter.And) ? filter.And : {};
    const expiration = isJsonObject(rule.Expiration) ? rule.Expiration : {};
    const size = (name: string) => {
      const bytes = filter[name] ?? and[name];
      return typeof bytes === 'number' ? String(bytes) : undefined;
    };
    return properties({
      Id: rule.ID,
      Status: rule.Status,
      Prefix: filter.Prefix ?? and.Prefix ?? rule.Prefix,
      TagFilters: [filter.Tag, ...objectsOf(and.Tags)].flatMap((tag) =>
        isJsonObject(tag) ? [{ Key: tag.Key ?? '', Value: tag.Value ?? '' }] : [],
      ),
      ObjectSizeGreaterThan: size('ObjectSizeGreaterThan'),
      ObjectSizeLessThan: size('ObjectSizeLessThan'),
      ExpirationInDays: expiration.Days,
      ExpirationDate: expiration.Date,
      ExpiredObjectDeleteMarker: expiration.ExpiredObjectDeleteMarker,
      Transitions: objectsOf(rule.Transitions).map((transition) =>
        properties({
          StorageClass: transition.StorageClass,
          TransitionInDays: transition.Days,
          TransitionDate: transition.Date,
        }),
      ),
      NoncurrentVersionTransitions: objectsOf(rule.NoncurrentVersionTransitions).map((transition) =>
        properties({
          StorageClass: transition.StorageClass,
          TransitionInDays: transition.NoncurrentDays,
          NewerNoncurrentVersions: transition.NewerNoncurrentVersions,
        }),
      ),
      NoncurrentVersionExpiration: renamed(rule.NoncurrentVersionExpiration, {
        NoncurrentDays: 'NoncurrentDays',
        NewerNoncurrentVersions: 'NewerNoncurrentVersions',
      }),
      AbortIncompleteMultipartUpload: renamed(rule.AbortIncompleteMultipartUpload, {
        DaysAfterInitiation: 'DaysAfterInitiation',
      }),
    });
  });
  return properties({
    Rules: rules,
    TransitionDefaultMinimumObjectSize: value.TransitionDefaultMinimumObjectSize,
  });
}

function logging(value: Json | undefined, refs: ExportReferences): Json | undefined {
  if (!isJsonObject(value)) return undefined;
  const target = text(value.TargetBucket);
  return properties({
    DestinationBucketName: target === undefined ? undefined : refs.ref(S3_BUCKET_TYPE, target, target),
    LogFilePrefix: value.TargetPrefix,
    TargetObjectKeyFormat: value.TargetObjectKeyFormat,
  });
}

/** S3 notifications: EventBridge, and one CloudFormation configuration per event of each Lambda, queue and topic. */
function notifications(value: Json | undefined, refs: ExportReferences): Json | undefined {
  if (!isJsonObject(value)) return undefined;
  const kinds = Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [
      kind.to,
      objectsOf(value[kind.list]).flatMap((configuration) => {
        const arn = text(configuration[kind.arn]);
        const rules = objectsOf(
          isJsonObject(configuration.Filter) && isJsonObject(configuration.Filter.Key)
            ? configuration.Filter.Key.FilterRules
            : undefined,
        ).map((rule) => ({ Name: text(rule.Name)?.toLowerCase() ?? '', Value: rule.Value ?? '' }));
        return (Array.isArray(configuration.Events) ? configuration.Events : []).map((event) =>
          properties({
            Event: event,
            [kind.target]: arn === undefined ? undefined : refs.arn(arn),
            Filter: rules.length === 0 ? undefined : { S3Key: { Rules: rules } },
          }),
        );
      }),
    ]),
  );
  return properties({
    ...(value.EventBridgeConfiguration === undefined
      ? {}
      : { EventBridgeConfiguration: { EventBridgeEnabled: true } }),
    ...kinds,
  });
}

function replication(value: Json | undefined, refs: ExportReferences): Json | undefined {
  if (!isJsonObject(value)) return undefined;
  const rules = objectsOf(value.Rules).map((rule) => {
    const filter = isJsonObject(rule.Filter) ? rule.Filter : undefined;
    const and = filter && isJsonObject(filter.And) ? filter.And : undefined;
    const destination = isJsonObject(rule.Destination) ? rule.Destination : {};
    const bucket = text(destination.Bucket);
    return properties({
      Id: rule.ID,
      Priority: rule.Priority,
      Status: rule.Status,
      Prefix: rule.Prefix,
      Filter:
        filter &&
        properties({
          Prefix: filter.Prefix,
          TagFilter: filter.Tag,
          And: and && properties({ Prefix: and.Prefix, TagFilters: and.Tags }),
        }),
      DeleteMarkerReplication: rule.DeleteMarkerReplication,
      SourceSelectionCriteria: rule.SourceSelectionCriteria,
      Destination: properties({
        ...(renamed(destination, {
          Account: 'Account',
          StorageClass: 'StorageClass',
          AccessControlTranslation: 'AccessControlTranslation',
          EncryptionConfiguration: 'EncryptionConfiguration',
          Metrics: 'Metrics',
          ReplicationTime: 'ReplicationTime',
        }) ?? {}),
        Bucket: bucket === undefined ? undefined : refs.arn(bucket),
      }),
    });
  });
  const role = text(value.Role);
  return properties({ Role: role === undefined ? undefined : refs.arn(role), Rules: rules });
}
