import { describe, expect, it } from 'vitest';
import { candidateRules, evaluateChange } from '../src/alerts/evaluate.js';
import { parseRules, shippedRules } from '../src/alerts/load-rules.js';
import type { ChangeFact } from '../src/alerts/match.js';
import { fieldChanges } from '../src/query/changes.js';
import type { VersionCause } from '../src/store/records.js';
import type { JsonObject } from '../src/types/json.js';

const ACCOUNT = '123456789012';
/** A Saturday, 03:12 UTC: outside the shipped change window (weekdays 09:00-17:00 UTC). */
const SATURDAY_NIGHT = new Date('2026-12-05T03:12:00Z');
/** A Tuesday, 10:30 UTC: inside it. */
const TUESDAY_MORNING = new Date('2026-12-08T10:30:00Z');
const ALICE = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com';
const DEPLOY = 'arn:aws:sts::123456789012:assumed-role/github-deploy/run-4711';

const byAlice: VersionCause = {
  kind: 'event',
  eventName: 'PutBucketPolicy',
  principal: ALICE,
  actor: 'alice@example.com',
};
const byDeploy: VersionCause = {
  kind: 'event',
  eventName: 'PutBucketPolicy',
  principal: DEPLOY,
  actor: 'run-4711',
};

/** A change as the evaluator sees it: the field changes are those between the two documents. */
function change(
  type: string,
  id: string,
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  cause: VersionCause = byDeploy,
  at = TUESDAY_MORNING,
): ChangeFact {
  const kind = !before ? 'created' : !after ? 'deleted' : 'changed';
  const actor = cause.kind === 'event' ? cause : undefined;
  return {
    resource: { account: ACCOUNT, region: type.includes('IAM') ? 'global' : 'us-east-1', type, id },
    kind,
    cause,
    changedAt: at,
    principal: actor?.principal,
    actor: actor?.actor,
    alsoBy: actor?.alsoBy,
    before,
    after,
    changes: fieldChanges(before, after),
  };
}

/** The names of the rules that fire on a change. */
function fired(fact: ChangeFact, rules = shippedRules().rules, now = TUESDAY_MORNING): string[] {
  return evaluateChange(candidateRules(rules, fact, now), fact).map((firing) => firing.rule.name);
}

const PRIVATE_POLICY = {
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: ['cloudfront.amazonaws.com'] },
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::queenofsandiego.com/*'],
    },
  ],
};
const PUBLIC_POLICY = {
  Statement: [
    ...PRIVATE_POLICY.Statement,
    {
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::queenofsandiego.com/*'],
    },
  ],
};
const BLOCKED = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const bucket = (fields: JsonObject): JsonObject => ({
  Name: 'queenofsandiego.com',
  Policy: PRIVATE_POLICY,
  PublicAccessBlock: BLOCKED,
  Acl: { Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }] },
  ...fields,
});

describe('shipped default rules', () => {
  describe('bucket-made-public', () => {
    it('fires when a policy statement allows anyone', () => {
      const fact = change(
        'AWS::S3::Bucket',
        'queenofsandiego.com',
        bucket({}),
        bucket({ Policy: PUBLIC_POLICY }),
      );
      expect(fired(fact)).toEqual(['bucket-made-public']);
    });

    it('fires when an ACL grants all users, or the public access block is switched off', () => {
      const aclPublic = bucket({
        Acl: {
          Grants: [
            {
              Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
              Permission: 'READ',
            },
          ],
        },
      });
      const unblocked = bucket({ PublicAccessBlock: { ...BLOCKED, BlockPublicPolicy: false } });
      expect(fired(change('AWS::S3::Bucket', 'b', bucket({}), aclPublic))).toEqual(['bucket-made-public']);
      expect(fired(change('AWS::S3::Bucket', 'b', bucket({}), unblocked))).toEqual(['bucket-made-public']);
      expect(fired(change('AWS::S3::Bucket', 'b', bucket({}), bucket({ PublicAccessBlock: null })))).toEqual([
        'bucket-made-public',
      ]);
    });

    it('stays quiet for a private change, a deny for anyone, or a bucket that was public already', () => {
      const denyInsecure = bucket({
        Policy: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: ['s3:*'],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      });
      expect(fired(change('AWS::S3::Bucket', 'b', bucket({}), denyInsecure))).toEqual([]);
      expect(fired(change('AWS::S3::Bucket', 'b', bucket({}), bucket({ Tags: { team: 'web' } })))).toEqual(
        [],
      );
      const stillPublic = change(
        'AWS::S3::Bucket',
        'b',
        bucket({ Policy: PUBLIC_POLICY }),
        bucket({ Policy: PUBLIC_POLICY, Tags: { team: 'web' } }),
      );
      expect(fired(stillPublic)).toEqual([]);
    });
  });

  describe('iam-admin-granted', () => {
    const role = (policies: JsonObject): JsonObject => ({
      Role: { RoleName: 'booking-handler-role' },
      AttachedPolicies: policies,
      InlinePolicies: {},
    });

    it('fires when the AWS AdministratorAccess policy is attached, or an inline policy allows *:* on *', () => {
      const attached = role({
        'arn:aws:iam::aws:policy/AdministratorAccess': {
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
          PolicyName: 'AdministratorAccess',
        },
      });
      expect(fired(change('AWS::IAM::Role', 'booking-handler-role', role({}), attached))).toEqual([
        'iam-admin-granted',
      ]);
      const inline = {
        ...role({}),
        InlinePolicies: {
          everything: { Statement: [{ Effect: 'Allow', Action: ['*:*'], Resource: ['*'] }] },
        },
      };
      expect(fired(change('AWS::IAM::Role', 'booking-handler-role', role({}), inline))).toEqual([
        'iam-admin-granted',
      ]);
    });

    it('stays quiet for a scoped policy and for a wildcard action on one resource', () => {
      const scoped = {
        ...role({}),
        InlinePolicies: {
          data: {
            Statement: [
              { Effect: 'Allow', Action: ['dynamodb:*'], Resource: ['arn:aws:dynamodb:::table/x'] },
            ],
          },
        },
      };
      const oneResource = {
        ...role({}),
        InlinePolicies: {
          one: { Statement: [{ Effect: 'Allow', Action: ['*'], Resource: ['arn:aws:s3:::b'] }] },
        },
      };
      expect(fired(change('AWS::IAM::Role', 'r', role({}), scoped))).toEqual([]);
      expect(fired(change('AWS::IAM::Role', 'r', role({}), oneResource))).toEqual([]);
    });
  });

  describe('dns-outside-window', () => {
    const zone = (records: JsonObject): JsonObject => ({
      HostedZone: { Name: 'sailjada.com.' },
      RecordSets: records,
    });
    const before = zone({ 'sailjada.com. A': { Name: 'sailjada.com.', Type: 'A' } });
    const after = zone({
      'sailjada.com. A': { Name: 'sailjada.com.', Type: 'A' },
      'shop.sailjada.com. CNAME': { Name: 'shop.sailjada.com.', Type: 'CNAME', TTL: 300 },
    });

    it("fires when records or a distribution's aliases change on a Saturday night", () => {
      const records = change('AWS::Route53::HostedZone', 'Z02', before, after, byDeploy, SATURDAY_NIGHT);
      expect(fired(records, undefined, SATURDAY_NIGHT)).toEqual(['dns-outside-window']);
      const aliases = change(
        'AWS::CloudFront::Distribution',
        'E6P75Z8LKF4300',
        { DistributionConfig: { Aliases: { Items: ['salejada.com'], Quantity: 1 } } },
        { DistributionConfig: { Aliases: { Items: ['salejada.com', 'shop.salejada.com'], Quantity: 2 } } },
        byDeploy,
        SATURDAY_NIGHT,
      );
      expect(fired(aliases, undefined, SATURDAY_NIGHT)).toEqual(['dns-outside-window']);
    });

    it('stays quiet on a Tuesday morning, and for other fields of the zone at night', () => {
      expect(fired(change('AWS::Route53::HostedZone', 'Z02', before, after))).toEqual([]);
      const tags = change(
        'AWS::Route53::HostedZone',
        'Z02',
        before,
        { ...before, Tags: { a: 'b' } },
        byDeploy,
        SATURDAY_NIGHT,
      );
      expect(fired(tags, undefined, SATURDAY_NIGHT)).toEqual([]);
    });

    it('takes a window spanning midnight as one: 22:00-06:00 holds 03:12 and not 10:30', () => {
      const { rules } = parseRules(
        'settings:\n  changeWindow: { days: [fri, sat, sun, mon, tue], hours: "22:00-06:00", timeZone: UTC }\n',
        'r.yaml',
      );
      const at = (time: Date) => change('AWS::Route53::HostedZone', 'Z02', before, after, byDeploy, time);
      expect(fired(at(SATURDAY_NIGHT), rules, SATURDAY_NIGHT)).toEqual([]);
      expect(fired(at(TUESDAY_MORNING), rules)).toEqual(['dns-outside-window']);
      expect(() => parseRules('settings:\n  changeWindow: { hours: "09:00-24:30" }\n', 'r.yaml')).toThrow(
        /^r\.yaml:2: settings\.changeWindow\.hours: expected hours such as 09:00-17:30/,
      );
    });

    it('follows the time zone of the change window', () => {
      const rules = parseRules(
        'settings:\n  changeWindow:\n    days: [sat]\n    hours: "04:00-12:00"\n    timeZone: Europe/Berlin\n',
        'tidemark.alerts.yaml',
      ).rules;
      // 03:12 UTC is 04:12 in Berlin: inside a Saturday 04:00-12:00 window there.
      const records = change('AWS::Route53::HostedZone', 'Z02', before, after, byDeploy, SATURDAY_NIGHT);
      expect(fired(records, rules, SATURDAY_NIGHT)).toEqual([]);
    });
  });

  describe('protected-deleted', () => {
    it('fires when a table is deleted, and stays quiet when an object is', () => {
      expect(fired(change('AWS::DynamoDB::Table', 'bookings', { TableName: 'bookings' }, undefined))).toEqual(
        ['protected-deleted'],
      );
      expect(
        fired(change('AWS::S3::Object', 'sailjada.com/about.html', { Key: 'about.html' }, undefined)),
      ).toEqual([]);
    });
  });

  describe('unexpected-principal', () => {
    it('fires for a person, and stays quiet for a deploy role or an AWS service', () => {
      const tags = (cause: VersionCause) =>
        change('AWS::Lambda::Function', 'booking-handler', { Tags: {} }, { Tags: { a: 'b' } }, cause);
      expect(fired(tags(byAlice))).toEqual(['unexpected-principal']);
      expect(fired(tags(byDeploy))).toEqual([]);
      expect(
        fired(
          tags({ kind: 'event', eventName: 'UpdateFunctionCode', principal: 'cloudformation.amazonaws.com' }),
        ),
      ).toEqual([]);
    });

    it('fires for a person whose change was coalesced with a later one by a deploy role', () => {
      const tags = (cause: VersionCause) =>
        change('AWS::Lambda::Function', 'booking-handler', { Tags: {} }, { Tags: { a: 'b' } }, cause);
      expect(fired(tags({ ...byDeploy, coalesced: 2, alsoBy: [ALICE] }))).toEqual(['unexpected-principal']);
      expect(fired(tags({ ...byDeploy, coalesced: 2 }))).toEqual([]);
    });

    it('stays quiet for an S3 notification, whose requester is only an account id', () => {
      const notification: VersionCause = { kind: 'event', eventName: 'Object Created', principal: ACCOUNT };
      expect(
        fired(change('AWS::S3::Object', 'sailjada.com/index.html', undefined, { Size: 1 }, notification)),
      ).toEqual([]);
    });

    it('never fires for calls Tidemark made itself: its user agent, from a principal it runs as', () => {
      const own: VersionCause = {
        kind: 'event',
        eventName: 'PutBucketPolicy',
        principal: ALICE,
        ownWrite: true,
      };
      const fact = change('AWS::S3::Bucket', 'b', bucket({}), bucket({ Policy: PUBLIC_POLICY }), own);
      const { rules, settings } = parseRules(
        'settings:\n  tidemarkPrincipals: ["arn:aws:sts::*:assumed-role/AWSReservedSSO_Admin_*/*"]\n',
        'r.yaml',
      );
      const quiet = evaluateChange(
        candidateRules(rules, fact, TUESDAY_MORNING, settings.tidemarkPrincipals),
        fact,
      );
      expect(quiet).toEqual([]);
      // Anyone can send Tidemark's user agent: from another principal it proves nothing.
      expect(fired(fact)).toEqual(['bucket-made-public', 'unexpected-principal']);
    });
  });

  describe('silent-drift', () => {
    it('fires for a change a baseline found without an event, and stays quiet for a first capture', () => {
      const drift: VersionCause = { kind: 'reconcile', label: 'v1.1', detail: 'changed without an event' };
      expect(
        fired(change('AWS::Lambda::Function', 'f', { MemorySize: 128 }, { MemorySize: 256 }, drift)),
      ).toEqual(['silent-drift']);
      const first: VersionCause = { kind: 'baseline', label: 'v1.0' };
      expect(fired(change('AWS::Lambda::Function', 'f', undefined, { MemorySize: 128 }, first))).toEqual([]);
    });
  });

  describe('secret-changed', () => {
    const sealed = (value: string): JsonObject => ({
      Environment: { Variables: { STRIPE_KEY: { $sealed: value } } },
    });

    it('fires when a sealed value changes, listing the field without any value', () => {
      const fact = change('AWS::Lambda::Function', 'booking-handler', sealed('v1:aaa'), sealed('v1:bbb'));
      const firings = evaluateChange(candidateRules(shippedRules().rules, fact, TUESDAY_MORNING), fact);
      expect(firings.map((f) => f.rule.name)).toEqual(['secret-changed']);
      expect(firings[0]?.changes).toEqual([
        { path: 'Environment.Variables.STRIPE_KEY', change: 'changed', sealed: true },
      ]);
    });

    it('stays quiet when only plain values change', () => {
      const fact = change(
        'AWS::Lambda::Function',
        'booking-handler',
        { ...sealed('v1:aaa'), MemorySize: 128 },
        { ...sealed('v1:aaa'), MemorySize: 256 },
      );
      expect(fired(fact)).toEqual([]);
    });
  });

  describe('tls-removed', () => {
    const distribution = (policy: string, tls: string): JsonObject => ({
      DistributionConfig: {
        DefaultCacheBehavior: { ViewerProtocolPolicy: policy },
        ViewerCertificate: { MinimumProtocolVersion: tls },
      },
    });

    it('fires when a distribution allows plain HTTP or TLS 1.0, or a domain name falls back to TLS 1.0', () => {
      const secure = distribution('redirect-to-https', 'TLSv1.2_2021');
      expect(
        fired(
          change('AWS::CloudFront::Distribution', 'E1', secure, distribution('allow-all', 'TLSv1.2_2021')),
        ),
      ).toEqual(['tls-removed']);
      expect(
        fired(change('AWS::CloudFront::Distribution', 'E1', secure, distribution('https-only', 'TLSv1'))),
      ).toEqual(['tls-removed']);
      const domain = (policy: string) => ({ DomainNameConfigurations: [{ SecurityPolicy: policy }] });
      expect(
        fired(
          change('AWS::ApiGatewayV2::DomainName', 'api.sailjada.com', domain('TLS_1_2'), domain('TLS_1_0')),
        ),
      ).toEqual(['tls-removed']);
    });

    it('stays quiet when TLS only gets stricter', () => {
      const before = distribution('allow-all', 'TLSv1');
      expect(
        fired(
          change(
            'AWS::CloudFront::Distribution',
            'E1',
            before,
            distribution('redirect-to-https', 'TLSv1.2_2021'),
          ),
        ),
      ).toEqual([]);
    });
  });
});

describe('rules files', () => {
  it('names the file, line and field of an invalid value', () => {
    const text = 'rules:\n  - name: loud\n    severity: urgent\n    match:\n      kinds: [deleted]\n';
    expect(() => parseRules(text, 'tidemark.alerts.yaml')).toThrow(
      'tidemark.alerts.yaml:3: rules[0].severity: invalid option: expected one of "critical"|"high"|"medium"|"low"|"info"',
    );
  });

  it('names the line of a YAML syntax error, of a misspelt field and of an unknown destination', () => {
    expect(() => parseRules('rules:\n  - name: a\n   severity: high\n', 'r.yaml')).toThrow(/^r\.yaml:3: /);
    expect(() => parseRules('rules:\n  - name: a\n    match:\n      kind: [deleted]\n', 'r.yaml')).toThrow(
      /^r\.yaml:4: rules\[0\]\.match: unrecognized key: "kind"/,
    );
    expect(() =>
      parseRules(
        'rules:\n  - name: a\n    match: { kinds: [deleted] }\n    destinations: [slack]\n',
        'r.yaml',
      ),
    ).toThrow(
      'r.yaml:4: rules[0].destinations: no destination named slack: declare it under destinations (known: stdout)',
    );
  });

  it('needs match for a rule that is not a shipped default', () => {
    expect(() => parseRules('rules:\n  - name: mine\n    severity: low\n', 'r.yaml')).toThrow(
      'r.yaml:2: rules[0].match: mine is not a shipped default: it needs match (what it fires on)',
    );
  });

  it('lets a file adjust, mute or turn off a shipped default by its name, or turn the defaults off', () => {
    const text = [
      'destinations:',
      '  slack: { type: webhook, url: "https://hooks.slack.com/services/T0/B0/x" }',
      'rules:',
      '  - name: silent-drift',
      '    severity: critical',
      '    destinations: [slack]',
      '  - name: unexpected-principal',
      '    enabled: false',
      '  - name: dns-outside-window',
      '    mute: { until: "2026-12-24T00:00:00Z", reason: "migrating DNS this month" }',
    ].join('\n');
    const { rules } = parseRules(text, 'r.yaml');
    const drift = rules.find((rule) => rule.name === 'silent-drift');
    expect(drift).toMatchObject({
      severity: 'critical',
      destinations: ['slack'],
      causes: ['reconcile', 'drift-check'],
    });
    expect(rules.map((rule) => rule.name)).not.toContain('unexpected-principal');
    const zone = change(
      'AWS::Route53::HostedZone',
      'Z02',
      { RecordSets: {} },
      { RecordSets: { 'a. A': { Type: 'A' } } },
      byDeploy,
      SATURDAY_NIGHT,
    );
    expect(fired(zone, rules, SATURDAY_NIGHT)).toEqual([]);
    expect(fired(zone, rules, new Date('2026-12-24T03:00:00Z'))).toEqual(['dns-outside-window']);
    expect(parseRules('defaults: false\n', 'r.yaml').rules).toEqual([]);
  });

  it('matches a rule of its own on principals, kinds and field values', () => {
    const text = [
      'rules:',
      '  - name: booking-memory',
      '    severity: low',
      '    match:',
      '      resources: ["AWS::Lambda::Function:booking-*"]',
      '      principals: { deny: ["alice*"] }',
      '      fields:',
      '        - { path: "Configuration.MemorySize", to: [128] }',
    ].join('\n');
    const { rules } = parseRules(text, 'r.yaml');
    const memory = (to: number, cause: VersionCause, id = 'booking-handler') =>
      change(
        'AWS::Lambda::Function',
        id,
        { Configuration: { MemorySize: 512 } },
        { Configuration: { MemorySize: to } },
        cause,
      );
    expect(fired(memory(128, byAlice), rules)).toContain('booking-memory');
    expect(fired(memory(256, byAlice), rules)).not.toContain('booking-memory');
    expect(fired(memory(128, byDeploy), rules)).not.toContain('booking-memory');
    expect(fired(memory(128, byAlice, 'image-resizer'), rules)).not.toContain('booking-memory');
  });
});
