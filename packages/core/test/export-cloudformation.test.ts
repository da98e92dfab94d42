import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCloudFormation } from '../src/export/cloudformation.js';
import { cloudFormationLimitWarnings } from '../src/export/limits.js';
import type { ExportReferences } from '../src/export/types.js';
import { writeExport } from '../src/export/write.js';
import { iamRole } from '../src/resources/iam-role.js';
import { lambdaFunction } from '../src/resources/lambda-function.js';
import { route53HostedZone } from '../src/resources/route53-hosted-zone.js';
import { s3Bucket } from '../src/resources/s3-bucket.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import { LocalKeySealer, sealedAsJson } from '../src/secrets/sealer.js';
import { VersionStore } from '../src/store/version-store.js';
import type { JsonObject } from '../src/types/json.js';
import type { ResourceRef } from '../src/types/resource.js';
import { draft } from './support/version-drafts.js';

const ACCOUNT = '123456789012';
const ref = (type: string, region: string, id: string): ResourceRef => ({
  account: ACCOUNT,
  type,
  region,
  id,
});

/** References as the exporter makes them when only the logs bucket is exported besides the resource mapped. */
const ONLY_LOGS_BUCKET: ExportReferences = {
  ref: (type, id, literal) =>
    type === 'AWS::S3::Bucket' && id === 'example-logs' ? { Ref: 'LogsBucket' } : literal,
  arn: (arn) => arn,
};

/** Maps one document with its type's `cloudFormation` spec. */
function mapped(definition: ResourceDefinition, resource: ResourceRef, document: JsonObject) {
  const spec = definition.cloudFormation;
  if (!spec) throw new Error(`${definition.type} has no CloudFormation mapping`);
  return spec.map({ resource, document, blobs: {}, refs: ONLY_LOGS_BUCKET });
}

const OWNER_ONLY = {
  Owner: { ID: 'owner-id' },
  Grants: [{ Grantee: { ID: 'owner-id', Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }],
};

const PUBLIC_READ_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PublicRead',
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::example.com/*'],
    },
  ],
};

/** A website bucket as a capture stores it. */
const WEBSITE_BUCKET: JsonObject = {
  Name: 'example.com',
  Region: 'us-east-1',
  Acl: OWNER_ONLY,
  Cors: [
    {
      ID: 'site',
      AllowedHeaders: ['*'],
      AllowedMethods: ['GET', 'HEAD'],
      AllowedOrigins: ['https://example.com'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 3000,
    },
  ],
  Website: {
    IndexDocument: { Suffix: 'index.html' },
    ErrorDocument: { Key: '404.html' },
    RoutingRules: [
      {
        Condition: { KeyPrefixEquals: 'docs/' },
        Redirect: { HttpRedirectCode: '301', ReplaceKeyPrefixWith: 'documents/' },
      },
    ],
  },
  PublicAccessBlock: {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: false,
    RestrictPublicBuckets: false,
  },
  Encryption: {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:key/site',
        },
        BucketKeyEnabled: true,
      },
    ],
  },
  Versioning: { Status: 'Enabled' },
  Tags: { project: 'site', 'aws:cloudformation:stack-name': 'legacy' },
  Policy: PUBLIC_READ_POLICY,
  Logging: { TargetBucket: 'example-logs', TargetPrefix: 'example.com/' },
  Notification: { EventBridgeConfiguration: {} },
  Lifecycle: null,
  ObjectLock: null,
  OwnershipControls: null,
  Replication: null,
};

describe('AWS::S3::Bucket as CloudFormation', () => {
  it('writes every setting with its CloudFormation name, and the policy as a bucket policy on the bucket', () => {
    const mapping = mapped(s3Bucket, ref('AWS::S3::Bucket', 'us-east-1', 'example.com'), WEBSITE_BUCKET);

    expect(mapping).toEqual({
      resources: {
        S3BucketExampleCom6EB81CAE: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'example.com',
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                {
                  BucketKeyEnabled: true,
                  ServerSideEncryptionByDefault: {
                    SSEAlgorithm: 'aws:kms',
                    KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:key/site',
                  },
                },
              ],
            },
            CorsConfiguration: {
              CorsRules: [
                {
                  Id: 'site',
                  AllowedHeaders: ['*'],
                  AllowedMethods: ['GET', 'HEAD'],
                  AllowedOrigins: ['https://example.com'],
                  ExposedHeaders: ['ETag'],
                  MaxAge: 3000,
                },
              ],
            },
            LoggingConfiguration: {
              DestinationBucketName: { Ref: 'LogsBucket' },
              LogFilePrefix: 'example.com/',
            },
            NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: false,
              RestrictPublicBuckets: false,
            },
            Tags: [{ Key: 'project', Value: 'site' }],
            VersioningConfiguration: { Status: 'Enabled' },
            WebsiteConfiguration: {
              IndexDocument: 'index.html',
              ErrorDocument: '404.html',
              RoutingRules: [
                {
                  RedirectRule: { HttpRedirectCode: '301', ReplaceKeyPrefixWith: 'documents/' },
                  RoutingRuleCondition: { KeyPrefixEquals: 'docs/' },
                },
              ],
            },
          },
        },
        S3BucketPolicyExampleCom141C16B7: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: { Bucket: { Ref: 'S3BucketExampleCom6EB81CAE' }, PolicyDocument: PUBLIC_READ_POLICY },
        },
      },
    });
  });

  it('sets the canned ACL its grants make, and names grants no canned ACL has as left out', () => {
    const logDelivery = { URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery', Type: 'Group' };
    const logs = mapped(s3Bucket, ref('AWS::S3::Bucket', 'us-east-1', 'example-logs'), {
      Acl: {
        ...OWNER_ONLY,
        Grants: [
          ...OWNER_ONLY.Grants,
          { Grantee: logDelivery, Permission: 'WRITE' },
          { Grantee: logDelivery, Permission: 'READ_ACP' },
        ],
      },
    });
    const shared = mapped(s3Bucket, ref('AWS::S3::Bucket', 'us-east-1', 'shared'), {
      Acl: {
        ...OWNER_ONLY,
        Grants: [
          ...OWNER_ONLY.Grants,
          { Grantee: { ID: 'partner-id', Type: 'CanonicalUser' }, Permission: 'READ' },
        ],
      },
    });

    expect(Object.values(logs.resources)[0]?.Properties.AccessControl).toBe('LogDeliveryWrite');
    expect(Object.values(shared.resources)[0]?.Properties.AccessControl).toBeUndefined();
    expect(shared.leftOut).toEqual([
      'Acl: its grants match no canned ACL, the only kind CloudFormation sets',
    ]);
  });
});

describe('AWS::Route53::HostedZone as CloudFormation', () => {
  const ZONE: JsonObject = {
    HostedZone: {
      Id: '/hostedzone/Z0EXAMPLE',
      Name: 'example.com.',
      Config: { Comment: 'example.com website', PrivateZone: false },
      CallerReference: 'created-by-hand',
      ResourceRecordSetCount: 6,
    },
    DelegationSet: { NameServers: ['ns-1.awsdns-01.org'] },
    DNSSEC: { Status: { ServeSignature: 'NOT_SIGNING' }, KeySigningKeys: {} },
    QueryLoggingConfigs: {},
    Tags: { team: 'web' },
    RecordSets: {
      'example.com. NS': {
        Name: 'example.com.',
        Type: 'NS',
        TTL: 172800,
        ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }],
      },
      'example.com. SOA': {
        Name: 'example.com.',
        Type: 'SOA',
        TTL: 900,
        ResourceRecords: [
          { Value: 'ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' },
        ],
      },
      'example.com. A': {
        Name: 'example.com.',
        Type: 'A',
        AliasTarget: {
          DNSName: 'd111111abcdef8.cloudfront.net.',
          HostedZoneId: 'Z2FDTNDATAQYW2',
          EvaluateTargetHealth: false,
        },
      },
      'www.example.com. A': {
        Name: 'www.example.com.',
        Type: 'A',
        AliasTarget: { DNSName: 'example.com.', HostedZoneId: 'Z0EXAMPLE', EvaluateTargetHealth: false },
      },
      '\\052.example.com. CNAME': {
        Name: '\\052.example.com.',
        Type: 'CNAME',
        TTL: 300,
        ResourceRecords: [{ Value: 'example.com' }],
      },
      'api.example.com. A blue': {
        Name: 'api.example.com.',
        Type: 'A',
        SetIdentifier: 'blue',
        Weight: 90,
        TTL: 60,
        HealthCheckId: 'a1b2c3d4-0000-0000-0000-000000000001',
        ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.11' }],
      },
    },
  };

  it('writes the zone and one record set per record but the apex NS and SOA, aliases into the zone referring to it', () => {
    const mapping = mapped(route53HostedZone, ref('AWS::Route53::HostedZone', 'global', 'Z0EXAMPLE'), ZONE);

    const zone = { Ref: 'Route53HostedZoneZ0EXAMPLE523508AD' };
    expect(mapping).toEqual({
      resources: {
        Route53HostedZoneZ0EXAMPLE523508AD: {
          Type: 'AWS::Route53::HostedZone',
          Properties: {
            Name: 'example.com.',
            HostedZoneConfig: { Comment: 'example.com website' },
            HostedZoneTags: [{ Key: 'team', Value: 'web' }],
          },
        },
        Route53RecordSetZ0EXAMPLEExampleComAF155E4CB: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: zone,
            Name: 'example.com.',
            Type: 'A',
            AliasTarget: {
              DNSName: 'd111111abcdef8.cloudfront.net.',
              HostedZoneId: 'Z2FDTNDATAQYW2',
              EvaluateTargetHealth: false,
            },
          },
        },
        Route53RecordSetZ0EXAMPLEWwwExampleComAA7535EB3: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: zone,
            Name: 'www.example.com.',
            Type: 'A',
            AliasTarget: { DNSName: 'example.com.', HostedZoneId: zone, EvaluateTargetHealth: false },
          },
        },
        Route53RecordSetZ0EXAMPLE052ExampleComCNAMEAAF6FA39: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: zone,
            Name: '*.example.com.',
            Type: 'CNAME',
            TTL: '300',
            ResourceRecords: ['example.com'],
          },
        },
        Route53RecordSetZ0EXAMPLEApiExampleComABlue94F64F60: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: zone,
            Name: 'api.example.com.',
            Type: 'A',
            SetIdentifier: 'blue',
            Weight: 90,
            HealthCheckId: 'a1b2c3d4-0000-0000-0000-000000000001',
            TTL: '60',
            ResourceRecords: ['192.0.2.10', '192.0.2.11'],
          },
        },
      },
    });
  });
});

describe('exportCloudFormation', () => {
  const SECRET = 'sk_live_51UnitTestSecretValue';
  const FUNCTION = ref('AWS::Lambda::Function', 'us-east-1', 'booking-handler');
  const ROLE = ref('AWS::IAM::Role', 'global', 'booking-handler-role');
  const CODE = Buffer.from('PK\u0003\u0004 booking-handler code');
  let folder: string;
  let store: VersionStore;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tidemark-export-'));
    store = await VersionStore.open(path.join(folder, 'store'), {
      cacheDirectory: path.join(folder, 'cache'),
    });
  });

  afterEach(async () => {
    store.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** Stores booking-handler (its environment sealed, its code as a blob, unless `code` is given) and its role. */
  async function storeFunctionAndRole(code?: string): Promise<string> {
    const sealer = new LocalKeySealer(randomBytes(32));
    const zip = code ?? (await store.content.putBytes(CODE)).hash;
    const at = '2026-01-02T10:00:00.000Z';
    await store.append({
      ...(await draft(store, FUNCTION, functionDocument(sealer), at)),
      blobs: { code: zip },
    });
    await store.append(await draft(store, ROLE, roleDocument(), at));
    return zip;
  }

  function functionDocument(sealer: LocalKeySealer): JsonObject {
    return {
      Configuration: {
        FunctionName: 'booking-handler',
        FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:booking-handler',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::123456789012:role/booking-handler-role',
        MemorySize: 256,
        Timeout: 15,
        Architectures: ['arm64'],
        PackageType: 'Zip',
        CodeSha256: 'not-read-by-the-export',
        Environment: {
          Variables: {
            STRIPE_SECRET_KEY: sealedAsJson(sealer.seal(SECRET)),
            STAGE: sealedAsJson(sealer.seal('prod')),
          },
        },
        TracingConfig: { Mode: 'Active' },
        Layers: [{ Arn: 'arn:aws:lambda:us-east-1:123456789012:layer:stripe:3', CodeSize: 1024 }],
        VpcConfig: { SubnetIds: [], SecurityGroupIds: [], VpcId: '' },
      },
      Code: { RepositoryType: 'S3' },
      Tags: { app: 'bookings' },
      Concurrency: { ReservedConcurrentExecutions: 20 },
      Aliases: {},
      Versions: {},
      Policy: null,
      EventSourceMappings: {},
      FunctionUrlConfig: null,
    };
  }

  function roleDocument(): JsonObject {
    return {
      Role: {
        RoleName: 'booking-handler-role',
        Path: '/',
        Arn: 'arn:aws:iam::123456789012:role/booking-handler-role',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
          ],
        },
        MaxSessionDuration: 3600,
      },
      Tags: {},
      InlinePolicies: {},
      AttachedPolicies: {
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
          PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          PolicyName: 'AWSLambdaBasicExecutionRole',
        },
      },
      InstanceProfiles: {},
    };
  }

  it('turns each sealed environment value into a NoEcho parameter, and the code into an asset', async () => {
    const zip = await storeFunctionAndRole();

    const exported = await exportCloudFormation(store, {
      at: new Date('2026-01-03T00:00:00.000Z'),
      definitions: [lambdaFunction, iamRole],
    });

    const fn = 'LambdaFunctionBookingHandler997157CE';
    expect(exported.template.Parameters).toEqual({
      AssetsBucket: {
        Type: 'String',
        Description:
          'the S3 bucket the assets/ folder of this export is uploaded to (code at assets/<sha256>.zip)',
      },
      [`${fn}EnvironmentVariablesSTRIPESECRETKEY`]: {
        Type: 'String',
        NoEcho: true,
        Description:
          'AWS::Lambda::Function booking-handler: Environment.Variables.STRIPE_SECRET_KEY, sealed in the store',
      },
      [`${fn}EnvironmentVariablesSTAGE`]: {
        Type: 'String',
        NoEcho: true,
        Description:
          'AWS::Lambda::Function booking-handler: Environment.Variables.STAGE, sealed in the store',
      },
    });
    expect((exported.template.Resources as JsonObject)[fn]).toEqual({
      Type: 'AWS::Lambda::Function',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        FunctionName: 'booking-handler',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 15,
        Architectures: ['arm64'],
        PackageType: 'Zip',
        Environment: {
          Variables: {
            STRIPE_SECRET_KEY: { Ref: `${fn}EnvironmentVariablesSTRIPESECRETKEY` },
            STAGE: { Ref: `${fn}EnvironmentVariablesSTAGE` },
          },
        },
        TracingConfig: { Mode: 'Active' },
        Code: { S3Bucket: { Ref: 'AssetsBucket' }, S3Key: `assets/${zip}.zip` },
        Role: { 'Fn::GetAtt': ['IAMRoleBookingHandlerRoleDE4024FC', 'Arn'] },
        Layers: ['arn:aws:lambda:us-east-1:123456789012:layer:stripe:3'],
        ReservedConcurrentExecutions: 20,
        Tags: [{ Key: 'app', Value: 'bookings' }],
      },
    });
    expect(exported.assets).toEqual([
      {
        hash: zip,
        extension: 'zip',
        use: 'code',
        key: `assets/${zip}.zip`,
        path: `assets/${zip}.zip`,
        resource: FUNCTION,
      },
    ]);
    expect(JSON.stringify(exported)).not.toContain(SECRET);
    expect(JSON.stringify(exported)).not.toContain('$sealed');
  });

  it('lists what it cannot describe, and writes nothing when content is missing', async () => {
    await storeFunctionAndRole('0'.repeat(64));
    const exported = await exportCloudFormation(store, {
      at: new Date('2026-01-03T00:00:00.000Z'),
      definitions: [lambdaFunction],
    });
    const out = path.join(folder, 'exported');

    await expect(writeExport(store, exported, out)).rejects.toThrow(`blob ${'0'.repeat(64)} is missing`);

    expect(exported.notDescribed).toEqual([
      { resource: ROLE, reason: 'no CloudFormation mapping in Tidemark yet' },
    ]);
    expect((await readdir(folder)).sort()).toEqual(['cache', 'store']);
  });
});

describe('CloudFormation quotas', () => {
  const template = (resources: number, parameters: number): JsonObject => ({
    Parameters: Object.fromEntries(
      Array.from({ length: parameters }, (_, i) => [`P${i}`, { Type: 'String' }]),
    ),
    Resources: Object.fromEntries(
      Array.from({ length: resources }, (_, i) => [`R${i}`, { Type: 'AWS::SNS::Topic' }]),
    ),
  });

  it('says nothing of a template a stack can hold, and what to do when one cannot', () => {
    expect(cloudFormationLimitWarnings(template(500, 200), 1_048_576)).toEqual([]);
    expect(cloudFormationLimitWarnings(template(501, 201), 1_048_577)).toEqual([
      'the template declares 501 resources and a stack holds at most 500: export part of it at a time (--type, --id)',
      'the template declares 201 parameters and a stack takes at most 200: export fewer functions with secrets at a time (--id)',
      'the template is 1048577 bytes and CloudFormation reads at most 1048576 from S3: export part of it at a time (--type, --id)',
    ]);
  });
});
