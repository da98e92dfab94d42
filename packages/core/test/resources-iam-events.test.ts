import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import { iamGroup } from '../src/resources/iam-group.js';
import { iamManagedPolicy, policyFromRecord } from '../src/resources/iam-managed-policy.js';
import { iamOidcProvider } from '../src/resources/iam-oidc-provider.js';
import { iamPasswordPolicy } from '../src/resources/iam-password-policy.js';
import { iamRole } from '../src/resources/iam-role.js';
import { iamSamlProvider } from '../src/resources/iam-saml-provider.js';
import { policyDocument } from '../src/resources/iam-shared.js';
import { iamUser, userFromRecord } from '../src/resources/iam-user.js';
import { readFixture, readManifest } from './support/fixtures.js';

const IAM_DEFINITIONS = [
  iamRole,
  iamUser,
  iamGroup,
  iamManagedPolicy,
  iamOidcProvider,
  iamSamlProvider,
  iamPasswordPolicy,
];

interface EventFixture {
  readonly record: Record<string, unknown>;
  readonly expected: readonly string[];
}

const FIXTURES = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures/events/iam.json'), 'utf8'),
) as EventFixture[];

/** What one event text maps to, as sorted `<type>:<id>` strings. */
function mappedIds(text: string, origin: string): string[] {
  const [event] = parseEventInput(text, origin);
  if (!event) throw new Error(`${origin} holds no event`);
  return mapEvent(event)
    .resources.map((resource) => `${resource.type}:${resource.id}`)
    .sort();
}

describe('IAM event fixtures', () => {
  it('record every event name the IAM definitions declare', () => {
    // Arrange
    const declared = new Set(IAM_DEFINITIONS.flatMap((definition) => Object.keys(definition.events)));

    // Act
    const recorded = new Set(FIXTURES.map((fixture) => fixture.record.eventName));

    // Assert
    expect([...declared].filter((name) => !recorded.has(name))).toEqual([]);
    expect(declared.size).toBe(66);
  });

  it.each(FIXTURES.map((fixture, index) => [`${index}: ${fixture.record.eventName}`, fixture] as const))(
    '%s maps to exactly its expected resources',
    (origin, fixture) => {
      // Arrange
      const text = JSON.stringify(fixture.record);

      // Act
      const ids = mappedIds(text, origin);

      // Assert
      expect(ids).toEqual([...fixture.expected].sort());
    },
  );

  it('map to the global region of the recipient account', () => {
    // Arrange
    const [event] = parseEventInput(JSON.stringify(FIXTURES[0]?.record), 'first');
    if (!event) throw new Error('no event');

    // Act
    const mapped = mapEvent(event);

    // Assert
    expect(mapped.resources).toEqual([
      { account: '123456789012', region: 'global', type: 'AWS::IAM::Role', id: 'refund-handler-role' },
    ]);
  });
});

describe('IAM rows of the shared CloudTrail fixtures', () => {
  const rows = readManifest().filter((row) => row.file.startsWith('iam/'));

  it('are the four documented rows', () => {
    expect(rows.map((row) => row.file).sort()).toEqual([
      'iam/AddUserToGroup-1.json',
      'iam/CreateAccessKey-3.json',
      'iam/CreateRole-2.json',
      'iam/CreateUser-2.json',
    ]);
  });

  it.each([
    ['iam/CreateUser-2.json', ['AWS::IAM::User:Bob']],
    ['iam/CreateRole-2.json', ['AWS::IAM::Role:TestRole']],
    // The manifest names the group; the user's group list changed too, which the README allows.
    ['iam/AddUserToGroup-1.json', ['AWS::IAM::Group:admin', 'AWS::IAM::User:Bob']],
    ['iam/CreateAccessKey-3.json', []],
  ])('%s maps to %j', (file, expected) => {
    // Arrange
    const text = readFixture(file);

    // Act
    const ids = mappedIds(text, file);

    // Assert
    expect(ids).toEqual(expected);
  });
});

describe('IAM id extractors', () => {
  it('never name an AWS managed policy', () => {
    // Arrange
    const record = {
      requestParameters: { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', versionId: 'v2' },
    };

    // Act
    const ids = policyFromRecord(record);

    // Assert
    expect(ids).toEqual([]);
  });

  it('name the caller for an access key call without userName by an IAM user, and nobody for a role', () => {
    // Arrange
    const byUser = {
      userIdentity: { type: 'IAMUser', userName: 'bob' },
      requestParameters: { accessKeyId: 'AKIA1' },
    };
    const byRole = {
      userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { userName: 'github-deploy' } } },
      requestParameters: { accessKeyId: 'AKIA1' },
    };
    const extractor = iamUser.events.DeleteAccessKey;

    // Act
    const named = [extractor?.(byUser), extractor?.(byRole)];

    // Assert
    expect(named).toEqual([['bob'], []]);
    expect(userFromRecord(byUser)).toEqual([]);
  });
});

describe('policyDocument', () => {
  it('decodes and parses the URL-encoded document IAM returns', () => {
    // Arrange
    const encoded =
      '%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22sts%3AAssumeRole%22%7D%5D%0A%7D';

    // Act
    const document = policyDocument(encoded);

    // Assert
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
    });
  });

  it('parses a document that is already JSON, even with a % in a value', () => {
    // Arrange
    const json = '{"Statement":[{"Condition":{"StringLike":{"s3:prefix":"100%"}}}]}';

    // Act
    const document = policyDocument(json);

    // Assert
    expect(document).toEqual({ Statement: [{ Condition: { StringLike: { 's3:prefix': '100%' } } }] });
  });

  it('keeps text that is neither, and leaves markers alone', () => {
    expect(policyDocument('%E0%A4%A')).toBe('%E0%A4%A');
    expect(policyDocument({ $unknown: 'AccessDenied' })).toEqual({ $unknown: 'AccessDenied' });
  });
});
