import { describe, expect, it } from 'vitest';
import { acmCertificate } from '../src/resources/acm-certificate.js';
import { registry } from '../src/resources/registry.js';
import type { PlanInput } from '../src/restore/types.js';
import type { JsonObject } from '../src/types/json.js';
import { restoreRig, UNPACED } from './support/restore-rig.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TYPE = 'AWS::CertificateManager::Certificate';
const ARN = `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0f0e3a54-7e1b-4c55-9a59-4d8f5b1c2e3d`;
const ref = (id = ARN) => ({ account: ACCOUNT, region: REGION, type: TYPE, id });

describe('restoring certificates against the simulated account', () => {
  const rig = restoreRig({
    definitions: registry.filter((definition) => definition.type === TYPE),
    rateLimits: { acm: UNPACED },
  });

  it('plans the request of a deleted certificate for the user to make, and sends nothing', async () => {
    // Arrange
    const arn = rig.account.acm.seed.pending;
    rig.account.acm.deleteCertificate(arn);

    // Act
    const planned = await rig.plan({ resources: [ref(arn)] });
    const report = await rig.apply(planned);

    // Assert
    const [resource] = planned.resources;
    expect(resource).toMatchObject({ action: 're-create', sends: false });
    expect(resource?.reason).toBe(
      'Tidemark does not send these calls for AWS::CertificateManager::Certificate yet: make them yourself (AWS CLI, console)',
    );
    expect(resource?.steps.map((step) => step.operation)).toEqual(['RequestCertificate']);
    expect(report.resources[0]).toMatchObject({ status: 'by-hand', steps: [] });
    expect(rig.account.callCounts().RequestCertificate).toBeUndefined();
  });
});

describe('certificate restore plans', () => {
  const certificate = (fields: JsonObject = {}): JsonObject => ({
    Certificate: {
      CertificateArn: ARN,
      DomainName: 'sailjada.com',
      SubjectAlternativeNames: ['sailjada.com', 'www.sailjada.com'],
      DomainValidationOptions: {
        'sailjada.com': {
          DomainName: 'sailjada.com',
          ValidationDomain: 'sailjada.com',
          ValidationStatus: 'SUCCESS',
          ResourceRecord: { Name: '_a1.sailjada.com.', Type: 'CNAME', Value: '_b1.acm-validations.aws.' },
          ValidationMethod: 'DNS',
        },
        'www.sailjada.com': {
          DomainName: 'www.sailjada.com',
          ValidationDomain: 'www.sailjada.com',
          ValidationStatus: 'SUCCESS',
          ResourceRecord: { Name: '_a2.www.sailjada.com.', Type: 'CNAME', Value: '_b2.acm-validations.aws.' },
          ValidationMethod: 'DNS',
        },
      },
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      KeyAlgorithm: 'RSA-2048',
      InUseBy: [`arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`],
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
      ...fields,
    },
    Tags: { site: 'sailjada.com' },
  });
  const input = (
    captured: JsonObject | undefined,
    live: JsonObject | undefined,
    prune = false,
  ): PlanInput => ({
    resource: ref(),
    target: ref(),
    ...(captured ? { captured: { document: captured, blobs: {} } } : {}),
    ...(live ? { live: { document: live, blobs: {} } } : {}),
    prune,
  });
  const step = (operation: string, stepInput: JsonObject, summary: string) => ({
    service: 'acm',
    operation,
    region: REGION,
    input: stepInput,
    summary,
  });

  it('requests a deleted Amazon-issued certificate again with its domains, validation, key, options and tags', () => {
    // Act
    const change = acmCertificate.restore?.plan(input(certificate(), undefined));

    // Assert
    expect(change).toEqual({
      action: 're-create',
      steps: [
        step(
          'RequestCertificate',
          {
            DomainName: 'sailjada.com',
            SubjectAlternativeNames: ['sailjada.com', 'www.sailjada.com'],
            ValidationMethod: 'DNS',
            KeyAlgorithm: 'RSA_2048',
            Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
            Tags: [{ Key: 'site', Value: 'sailjada.com' }],
          },
          'request the certificate for sailjada.com again',
        ),
      ],
      notes: [
        `the new certificate has a new ARN: distributions, API domains and load balancers that named the old one must be updated (it was in use by arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL)`,
        "it is issued once ACM finds its DNS validation records, which DescribeCertificate lists: check the zones hold them (the old certificate's were _a1.sailjada.com. CNAME _b1.acm-validations.aws.; _a2.www.sailjada.com. CNAME _b2.acm-validations.aws.)",
      ],
    });
  });

  it('cannot put back an imported certificate', () => {
    // Act
    const change = acmCertificate.restore?.plan(input(certificate({ Type: 'IMPORTED' }), undefined));

    // Assert
    expect(change).toEqual({
      action: 'cannot',
      reason: 'ACM never gave out its private key: import it again from your own copy',
      steps: [],
    });
  });

  it('puts back the tags and transparency logging of a live certificate', () => {
    // Arrange
    const live = {
      ...certificate({
        Options: { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' },
      }),
      Tags: { site: 'www.sailjada.com', owner: 'marketing' },
    };

    // Act
    const change = acmCertificate.restore?.plan(input(certificate(), live));

    // Assert
    expect(change).toEqual({
      action: 'update',
      steps: [
        step(
          'UpdateCertificateOptions',
          { CertificateArn: ARN, Options: { CertificateTransparencyLoggingPreference: 'ENABLED' } },
          'put back certificate transparency logging ENABLED',
        ),
        step(
          'AddTagsToCertificate',
          { CertificateArn: ARN, Tags: [{ Key: 'site', Value: 'sailjada.com' }] },
          'put back the tags site',
        ),
        step(
          'RemoveTagsFromCertificate',
          { CertificateArn: ARN, Tags: [{ Key: 'owner', Value: 'marketing' }] },
          'remove the tags added since: owner',
        ),
      ],
    });
  });

  it('has nothing to do for a live certificate whose tags and options are the same', () => {
    // Arrange: its status moved on, which a restore does not touch.
    const live = certificate({ Status: 'EXPIRED' });

    // Act
    const change = acmCertificate.restore?.plan(input(certificate(), live));

    // Assert
    expect(change).toEqual({ action: 'nothing', steps: [] });
  });

  it('with --prune, plans the deletion of a certificate created since', () => {
    // Act
    const change = acmCertificate.restore?.plan(input(undefined, certificate(), true));

    // Assert
    expect(change).toEqual({
      action: 'remove',
      steps: [
        step(
          'DeleteCertificate',
          { CertificateArn: ARN },
          'delete the certificate requested or imported after the moment restored to',
        ),
      ],
    });
  });
});
