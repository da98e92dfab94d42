import type { Tag } from '@aws-sdk/client-iam';
import type { AccountModel, SimFunction } from '../model.js';
import { seedDate as day, SITE_DOMAINS } from '../seed-names.js';
import { AWS_MANAGED_POLICY_PREFIX, type IamState, type SimRole, type SimUser } from './model.js';
import { GOOGLE_WORKSPACE_METADATA, GOOGLE_WORKSPACE_VALID_UNTIL } from './saml-metadata.js';

/** How many generated IAM entities to add on top of the business's own. */
export interface IamSeedScale {
  readonly roles: number;
  readonly users: number;
}

const LAMBDA_BASIC_EXECUTION = `${AWS_MANAGED_POLICY_PREFIX}service-role/AWSLambdaBasicExecutionRole`;
const ADMINISTRATOR_ACCESS = `${AWS_MANAGED_POLICY_PREFIX}AdministratorAccess`;
const READ_ONLY_ACCESS = `${AWS_MANAGED_POLICY_PREFIX}ReadOnlyAccess`;
const SUPPORT_SERVICE_ROLE_POLICY = `${AWS_MANAGED_POLICY_PREFIX}aws-service-role/AWSSupportServiceRolePolicy`;

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The thumbprints of GitHub's OIDC certificate chain that IAM shows for this provider (public values). */
const GITHUB_THUMBPRINTS = [
  '6938fd4d98bab03faadb97b34396831e3780aea1',
  '1c58a3a8518e8759bf075b76b750d4f2df264fcd',
];
/** The booking-handler's table, read by the `booking-data` policy. */
const BOOKINGS_TABLE = 'queenofsandiego-bookings';

/** One statement of a policy document. */
type Statement = Record<string, unknown>;

/** A policy document's text as CloudFormation and the SDKs send it: compact JSON. */
export function policyText(statements: readonly Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const tags = (values: Record<string, string>): Tag[] =>
  Object.entries(values).map(([Key, Value]) => ({ Key, Value }));

/** A trust policy letting an AWS service assume the role. */
function serviceTrust(service: string): string {
  return policyText([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }]);
}

/**
 * Seeds the business's IAM entities: an execution role for each role the Lambda functions name (with what each
 * function reaches), the `TidemarkCapture` role Tidemark runs as, a GitHub deploy role trusted through GitHub's
 * OIDC provider, a service-linked support role, the `deploy-bot` user and two people (`alice`, `bob`) in `admins`
 * and `developers`, the `site-publish` and `booking-data` policies, a SAML provider and the password policy; then
 * `scale` generated roles and users.
 */
export function seedIam(state: IamState, model: AccountModel, scale: IamSeedScale): void {
  const account = model.accountId;
  const site = (name: string) => `arn:aws:s3:::${name}`;

  const sitePublish = addPolicy(state, model, {
    name: 'site-publish',
    description: 'Publish queenofsandiego.com, sailjada.com and salejada.com from CI',
    tags: tags({ app: 'websites' }),
    versions: [
      {
        at: '2022-01-10T16:04:51',
        statements: [
          {
            Sid: 'PublishSites',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: SITE_DOMAINS.map((d) => `${site(d)}/*`),
          },
        ],
      },
      {
        at: '2023-03-02T11:40:09',
        statements: [
          {
            Sid: 'PublishSites',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:DeleteObject'],
            Resource: SITE_DOMAINS.map((d) => `${site(d)}/*`),
          },
          { Sid: 'ListSites', Effect: 'Allow', Action: 's3:ListBucket', Resource: SITE_DOMAINS.map(site) },
        ],
      },
      {
        at: '2024-02-18T09:12:37',
        statements: [
          {
            Sid: 'PublishSites',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:DeleteObject'],
            Resource: SITE_DOMAINS.map((d) => `${site(d)}/*`),
          },
          { Sid: 'ListSites', Effect: 'Allow', Action: 's3:ListBucket', Resource: SITE_DOMAINS.map(site) },
          {
            Sid: 'InvalidateCaches',
            Effect: 'Allow',
            Action: 'cloudfront:CreateInvalidation',
            Resource: '*',
          },
        ],
      },
    ],
  });
  const bookingData = addPolicy(state, model, {
    name: 'booking-data',
    description: 'Read the booking table for reports',
    tags: tags({ app: 'queenofsandiego' }),
    versions: [
      {
        at: '2024-02-10T20:15:02',
        statements: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
            Resource: `arn:aws:dynamodb:${model.homeRegion}:${account}:table/${BOOKINGS_TABLE}`,
          },
        ],
      },
    ],
  });

  seedFunctionRoles(state, model);
  addRole(state, model, {
    name: 'TidemarkCapture',
    // The role the simulation's caller assumed: its id is the one in the caller's `UserId`.
    id: model.caller.userId.split(':')[0],
    createDate: day('2024-05-30T08:00:00'),
    trustPolicy: serviceTrust('lambda.amazonaws.com'),
    description: 'Tidemark continuous backup: reads the account configuration',
    tags: tags({ app: 'tidemark' }),
    inline: {
      'capture-read': policyText([
        {
          Effect: 'Allow',
          Action: [
            's3:Get*',
            's3:List*',
            'lambda:Get*',
            'lambda:List*',
            'iam:Get*',
            'iam:List*',
            'cloudtrail:LookupEvents',
          ],
          Resource: '*',
        },
      ]),
    },
    lastUsed: { date: day('2024-06-02T20:16:32'), region: model.homeRegion },
  });
  const oidcArn = `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
  addRole(state, model, {
    name: 'github-deploy',
    createDate: day('2024-02-18T09:20:14'),
    trustPolicy: policyText([
      {
        Effect: 'Allow',
        Principal: { Federated: oidcArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: 'repo:jada-sails/websites:ref:refs/heads/main' },
        },
      },
    ]),
    description: 'GitHub Actions deploys of the three websites',
    permissionsBoundary: sitePublish,
    tags: tags({ purpose: 'ci' }),
    attached: [sitePublish],
    lastUsed: { date: day('2024-06-01T18:44:03'), region: model.homeRegion },
  });
  addRole(state, model, {
    name: 'AWSServiceRoleForSupport',
    path: '/aws-service-role/support.amazonaws.com/',
    createDate: day('2021-03-14T17:02:45'),
    trustPolicy: serviceTrust('support.amazonaws.com'),
    description: 'Enables resource access for AWS to provide billing, administrative and support services',
    attached: [SUPPORT_SERVICE_ROLE_POLICY],
  });
  state.oidcProviders.set(oidcArn, {
    arn: oidcArn,
    url: GITHUB_OIDC_HOST,
    clientIds: ['sts.amazonaws.com'],
    thumbprints: [...GITHUB_THUMBPRINTS],
    createDate: day('2024-02-18T09:18:40'),
    tags: [],
  });
  const samlArn = `arn:aws:iam::${account}:saml-provider/GoogleWorkspace`;
  state.samlProviders.set(samlArn, {
    arn: samlArn,
    uuid: model.random.uuid(),
    metadata: GOOGLE_WORKSPACE_METADATA,
    createDate: day('2023-05-02T17:45:30'),
    validUntil: GOOGLE_WORKSPACE_VALID_UNTIL,
    tags: tags({ idp: 'google-workspace' }),
  });

  addUser(state, model, {
    name: 'alice',
    createDate: day('2021-03-14T16:58:02'),
    passwordLastUsed: day('2024-06-02T19:58:41'),
    login: { createDate: day('2021-03-14T16:58:02'), passwordResetRequired: false },
    mfa: day('2021-03-14T17:05:19'),
    tags: tags({ role: 'owner' }),
  });
  addUser(state, model, {
    name: 'bob',
    createDate: day('2022-08-01T14:30:00'),
    passwordLastUsed: day('2024-05-20T10:11:12'),
    login: { createDate: day('2022-08-01T14:30:00'), passwordResetRequired: false },
  });
  const deployBot = addUser(state, model, {
    name: 'deploy-bot',
    createDate: day('2022-01-10T16:02:11'),
    attached: [sitePublish],
    tags: tags({ purpose: 'ci' }),
  });
  deployBot.accessKeys.push({
    id: `AKIA${model.random.upperAlnum(16)}`,
    status: 'Active',
    createDate: day('2022-01-10T16:03:27'),
    lastUsed: { date: day('2024-05-31T23:10:00'), service: 's3', region: model.homeRegion },
  });

  addGroup(state, model, {
    name: 'admins',
    createDate: day('2021-03-14T16:55:40'),
    attached: [ADMINISTRATOR_ACCESS],
    members: ['alice', 'bob'],
  });
  addGroup(state, model, {
    name: 'developers',
    createDate: day('2022-08-01T14:25:03'),
    attached: [READ_ONLY_ACCESS, bookingData],
    inline: {
      'deploy-functions': policyText([
        {
          Effect: 'Allow',
          Action: ['lambda:UpdateFunctionCode', 'lambda:PublishVersion', 'lambda:UpdateAlias'],
          Resource: `arn:aws:lambda:${model.homeRegion}:${account}:function:*`,
        },
      ]),
    },
    members: ['bob'],
  });

  state.passwordPolicy = {
    MinimumPasswordLength: 14,
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    AllowUsersToChangePassword: true,
    ExpirePasswords: false,
    PasswordReusePrevention: 24,
    HardExpiry: false,
  };

  seedGenerated(state, model, scale);
}

interface PolicySpec {
  readonly name: string;
  readonly description: string;
  readonly tags: Tag[];
  readonly versions: ReadonlyArray<{ readonly at: string; readonly statements: readonly Statement[] }>;
}

/** Adds a customer managed policy whose last version is the default; returns its ARN. */
function addPolicy(state: IamState, model: AccountModel, spec: PolicySpec): string {
  const arn = state.arn('policy', '/', spec.name);
  const versions = spec.versions.map((version, index) => ({
    id: `v${index + 1}`,
    document: policyText(version.statements),
    createDate: day(version.at),
  }));
  const first = versions[0];
  const last = versions.at(-1);
  if (!first || !last) throw new Error(`policy ${spec.name} needs at least one version`);
  state.policies.set(arn, {
    name: spec.name,
    id: `ANPA${model.random.upperAlnum(17)}`,
    path: '/',
    arn,
    description: spec.description,
    createDate: first.createDate,
    updateDate: last.createDate,
    defaultVersion: last.id,
    versions,
    nextVersion: versions.length + 1,
    tags: spec.tags,
  });
  return arn;
}

interface RoleSpec {
  readonly name: string;
  readonly id?: string;
  readonly path?: string;
  readonly createDate: Date;
  readonly trustPolicy: string;
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly permissionsBoundary?: string;
  readonly tags?: Tag[];
  readonly inline?: Record<string, string>;
  readonly attached?: readonly string[];
  readonly lastUsed?: SimRole['lastUsed'];
}

function addRole(state: IamState, model: AccountModel, spec: RoleSpec): SimRole {
  const role: SimRole = {
    name: spec.name,
    id: spec.id ?? `AROA${model.random.upperAlnum(17)}`,
    path: spec.path ?? '/',
    createDate: spec.createDate,
    trustPolicy: spec.trustPolicy,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    maxSessionDuration: spec.maxSessionDuration ?? 3600,
    ...(spec.permissionsBoundary === undefined ? {} : { permissionsBoundary: spec.permissionsBoundary }),
    tags: spec.tags ?? [],
    inline: new Map(Object.entries(spec.inline ?? {})),
    attached: [...(spec.attached ?? [])],
    ...(spec.lastUsed === undefined ? {} : { lastUsed: spec.lastUsed }),
  };
  state.roles.set(role.name, role);
  return role;
}

interface UserSpec {
  readonly name: string;
  readonly path?: string;
  readonly createDate: Date;
  readonly passwordLastUsed?: Date;
  readonly login?: { readonly createDate: Date; readonly passwordResetRequired: boolean };
  /** When the user's virtual MFA device was enabled. */
  readonly mfa?: Date;
  readonly attached?: readonly string[];
  readonly tags?: Tag[];
}

function addUser(state: IamState, model: AccountModel, spec: UserSpec): SimUser {
  const user: SimUser = {
    name: spec.name,
    id: `AIDA${model.random.upperAlnum(17)}`,
    path: spec.path ?? '/',
    createDate: spec.createDate,
    ...(spec.passwordLastUsed === undefined ? {} : { passwordLastUsed: spec.passwordLastUsed }),
    tags: spec.tags ?? [],
    inline: new Map<string, string>(),
    attached: [...(spec.attached ?? [])],
    accessKeys: [],
    ...(spec.login === undefined ? {} : { loginProfile: { ...spec.login } }),
    mfaDevices:
      spec.mfa === undefined
        ? []
        : [{ serialNumber: `arn:aws:iam::${model.accountId}:mfa/${spec.name}`, enableDate: spec.mfa }],
  };
  state.users.set(user.name, user);
  return user;
}

interface GroupSpec {
  readonly name: string;
  readonly createDate: Date;
  readonly attached?: readonly string[];
  readonly inline?: Record<string, string>;
  readonly members: readonly string[];
}

function addGroup(state: IamState, model: AccountModel, spec: GroupSpec): void {
  state.groups.set(spec.name, {
    name: spec.name,
    id: `AGPA${model.random.upperAlnum(17)}`,
    path: '/',
    createDate: spec.createDate,
    inline: new Map(Object.entries(spec.inline ?? {})),
    attached: [...(spec.attached ?? [])],
    members: [...spec.members],
  });
}

/**
 * One execution role for each role the functions name (`booking-handler-role`…; the generated functions share
 * `bench-function-role`): Lambda may assume it, it writes logs (`AWSLambdaBasicExecutionRole`) and an inline
 * `data-access` policy grants what its functions reach (their table, bucket, queues, mail identity).
 */
function seedFunctionRoles(state: IamState, model: AccountModel): void {
  const byRole = new Map<string, SimFunction[]>();
  for (const fn of model.functions.values()) {
    const name = fn.latest.settings.role.slice(fn.latest.settings.role.lastIndexOf('/') + 1);
    byRole.set(name, [...(byRole.get(name) ?? []), fn]);
  }
  for (const [name, functions] of byRole) {
    const statements = functions.flatMap((fn) => functionStatements(model, fn));
    addRole(state, model, {
      name,
      createDate: day('2023-10-12T08:20:00'),
      trustPolicy: serviceTrust('lambda.amazonaws.com'),
      attached: [LAMBDA_BASIC_EXECUTION],
      ...(statements.length > 0 ? { inline: { 'data-access': policyText(statements) } } : {}),
      lastUsed: { date: day('2024-06-02T20:15:00'), region: model.homeRegion },
    });
  }
}

/** What Lambda's poller needs on an event source mapping's source, by the service of its ARN. */
const POLLER_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  sqs: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  dynamodb: [
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:DescribeStream',
    'dynamodb:ListStreams',
  ],
  kinesis: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListShards'],
};

/** What one function's code reaches, read from its configuration and event source mappings. */
function functionStatements(model: AccountModel, fn: SimFunction): Statement[] {
  const { environment = {}, deadLetterTargetArn } = fn.latest.settings;
  const region = model.homeRegion;
  const statements: Statement[] = [];
  if (environment.TABLE_NAME) {
    statements.push({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      Resource: `arn:aws:dynamodb:${region}:${model.accountId}:table/${environment.TABLE_NAME}`,
    });
  }
  if (environment.MEDIA_BUCKET) {
    statements.push({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `arn:aws:s3:::${environment.MEDIA_BUCKET}/*`,
    });
  }
  if (environment.SES_FROM) {
    const domain = environment.SES_FROM.slice(environment.SES_FROM.indexOf('@') + 1);
    statements.push({
      Effect: 'Allow',
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Resource: `arn:aws:ses:${region}:${model.accountId}:identity/${domain}`,
    });
  }
  if (deadLetterTargetArn) {
    statements.push({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: deadLetterTargetArn });
  }
  for (const mapping of model.eventSourceMappings.filter((m) => m.functionName === fn.name)) {
    const service = mapping.eventSourceArn.split(':')[2] ?? '';
    const actions = POLLER_ACTIONS[service];
    if (actions) statements.push({ Effect: 'Allow', Action: actions, Resource: mapping.eventSourceArn });
  }
  return statements;
}

/**
 * Generated entities for benchmarks: roles `app-role-0001`… (Lambda roles reading one site bucket each) and users
 * `user-0001`… under `/staff/` (every other one with console access, every third with an access key), members of
 * `developers`.
 */
function seedGenerated(state: IamState, model: AccountModel, scale: IamSeedScale): void {
  for (let i = 1; i <= scale.roles; i++) {
    const bucket = SITE_DOMAINS[i % SITE_DOMAINS.length] as string;
    addRole(state, model, {
      name: `app-role-${String(i).padStart(4, '0')}`,
      createDate: day('2024-03-15T10:00:00'),
      trustPolicy: serviceTrust('lambda.amazonaws.com'),
      attached: [LAMBDA_BASIC_EXECUTION],
      inline: {
        'read-site': policyText([
          { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ]),
      },
      tags: tags({ generated: 'true' }),
    });
  }
  const developers = state.group('developers');
  for (let i = 1; i <= scale.users; i++) {
    const name = `user-${String(i).padStart(4, '0')}`;
    const user = addUser(state, model, {
      name,
      path: '/staff/',
      createDate: day('2024-03-15T10:00:00'),
      ...(i % 2 === 0
        ? { login: { createDate: day('2024-03-15T10:00:00'), passwordResetRequired: true } }
        : {}),
      tags: tags({ generated: 'true' }),
    });
    if (i % 3 === 0) {
      user.accessKeys.push({
        id: `AKIA${model.random.upperAlnum(16)}`,
        status: 'Active',
        createDate: day('2024-03-15T10:05:00'),
      });
    }
    developers.members.push(name);
  }
}
