import { randomUUID } from 'node:crypto';
import {
  type ReceivedRequest,
  startRecordingServer,
} from '../../packages/core/test/support/recording-server.js';

/** What the stub answers with. */
export interface AwsStubOptions {
  /** The account `GetCallerIdentity` names. @default '123456789012' */
  readonly accountId?: string;
  /** Secrets Manager secrets, by ARN or name: their `SecretString`. @default none */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** A running stub of the few AWS operations `sst build` and the deployed functions need, on 127.0.0.1. */
export interface AwsStub {
  /** `http://127.0.0.1:<port>`: give it as `AWS_ENDPOINT_URL` (or a service's `AWS_ENDPOINT_URL_<SERVICE>`). */
  readonly endpoint: string;
  /** Every operation asked for, in order, as `Service.Operation` (unknown ones too, answered with an error). */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** The toolkit stacks SST looks up before it synthesizes: CDK's bootstrap stack and its own. */
const BOOTSTRAP_STACKS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CDKToolkit: { BootstrapVersion: '21', BucketName: 'cdk-hnb659fds-assets-stub' },
  SSTBootstrap: { Version: '7.4', BucketName: 'sstbootstrap-stub' },
};

/** One answer: status, content type and body. */
interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

/**
 * Starts a stub of three AWS APIs on a free port of 127.0.0.1, any credentials accepted:
 * - STS `GetCallerIdentity` (query protocol): the account of `options.accountId`;
 * - CloudFormation `DescribeStacks` (query protocol): the bootstrap stacks `CDKToolkit` and `SSTBootstrap`, up
 *   to date, so `sst build` goes on to synthesize; any other stack does not exist;
 * - Secrets Manager `GetSecretValue` (JSON protocol): the `options.secrets`.
 *
 * Any other operation gets a 400 naming it (and is listed in `requests`), so a test sees what else was asked.
 *
 * @example
 * const stub = await startAwsStub({ secrets: { [SECRET_ARN]: key.toString('base64') } });
 * try {
 *   // child process environment: AWS_ENDPOINT_URL=stub.endpoint, fake AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * } finally {
 *   await stub.stop();
 * }
 */
export async function startAwsStub(options: AwsStubOptions = {}): Promise<AwsStub> {
  const accountId = options.accountId ?? '123456789012';
  const secrets = options.secrets ?? {};
  const requests: string[] = [];

  const answer = (request: ReceivedRequest): Answer => {
    const { body } = request;
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      requests.push(target);
      if (target === 'secretsmanager.GetSecretValue')
        return getSecretValue(JSON.parse(body || '{}') as { SecretId?: string }, secrets, accountId);
      return jsonError('UnknownOperationException', `the stub does not answer ${target}`);
    }
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? `${request.method} ${request.url}`;
    if (action === 'GetCallerIdentity') {
      requests.push('STS.GetCallerIdentity');
      return getCallerIdentity(accountId);
    }
    if (action === 'DescribeStacks') {
      requests.push('CloudFormation.DescribeStacks');
      return describeStacks(form.get('StackName') ?? '', accountId);
    }
    requests.push(action);
    return queryError('InvalidAction', `the stub does not answer ${action}`);
  };

  const server = await startRecordingServer((request) => {
    const { status, type, body } = answer(request);
    return { status, headers: { 'content-type': type, 'x-amzn-requestid': randomUUID() }, body };
  });
  return { endpoint: server.endpoint, requests, stop: () => server.stop() };
}

function getCallerIdentity(accountId: string): Answer {
  return xml(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>arn:aws:iam::${accountId}:user/stub</Arn><UserId>AIDASTUBSTUBSTUBSTUB</UserId>` +
      `<Account>${accountId}</Account></GetCallerIdentityResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

function describeStacks(name: string, accountId: string): Answer {
  const outputs = BOOTSTRAP_STACKS[name];
  if (!outputs) return queryError('ValidationError', `Stack with id ${name} does not exist`);
  const members = Object.entries(outputs)
    .map(
      ([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`,
    )
    .join('');
  return xml(
    `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult>` +
      `<Stacks><member><StackName>${name}</StackName>` +
      `<StackId>arn:aws:cloudformation:us-east-1:${accountId}:stack/${name}/${randomUUID()}</StackId>` +
      `<StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>` +
      `<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`,
  );
}

function getSecretValue(
  input: { SecretId?: string },
  secrets: Readonly<Record<string, string>>,
  accountId: string,
): Answer {
  const id = input.SecretId ?? '';
  const value = secrets[id];
  if (value === undefined)
    return jsonError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  const name = id.startsWith('arn:') ? (id.split(':')[6] ?? id).replace(/-[A-Za-z0-9]{6}$/, '') : id;
  return {
    status: 200,
    type: 'application/x-amz-json-1.1',
    body: JSON.stringify({
      ARN: id.startsWith('arn:') ? id : `arn:aws:secretsmanager:us-east-1:${accountId}:secret:${id}-AbCdEf`,
      Name: name,
      SecretString: value,
      VersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_767_225_600,
    }),
  };
}

const xml = (body: string): Answer => ({ status: 200, type: 'text/xml', body });

function queryError(code: string, message: string): Answer {
  return {
    status: 400,
    type: 'text/xml',
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

function jsonError(type: string, message: string): Answer {
  return { status: 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: type, message }) };
}
