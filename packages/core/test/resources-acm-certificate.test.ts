import { X509Certificate } from 'node:crypto';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_MARKER } from '../src/constants.js';
import { mapEvent } from '../src/events/map.js';
import { parseEventInput } from '../src/events/parse.js';
import type { MappedEvent } from '../src/events/types.js';
import { acmCertificate, certificateFromRecord } from '../src/resources/acm-certificate.js';
import type { Described, JsonObject } from '../src/types/resource.js';
import { collect, createCaptureContext, found } from './support/capture-context.js';
import { readFixture } from './support/fixtures.js';

/** A home region other than us-east-1, so that the site certificates (us-east-1, for CloudFront) stand apart. */
const HOME = 'us-west-2';
const TYPE = 'AWS::CertificateManager::Certificate';

let account: SimulatedAccount;

beforeEach(async () => {
  account = await SimulatedAccount.start({ region: HOME });
});

afterEach(async () => {
  await account.stop();
});

function certificateOf(described: Described): JsonObject {
  return found(described).raw.Certificate as JsonObject;
}

function site(domain: string) {
  const certificate = account.acm.seed.sites.find((candidate) => candidate.domain === domain);
  if (!certificate) throw new Error(`no seeded certificate for ${domain}`);
  return certificate;
}

function mapped(events: readonly SimulatedEvent[]): MappedEvent[] {
  return events.flatMap((event) =>
    parseEventInput(JSON.stringify(event), 'test').map((parsed) => mapEvent(parsed)),
  );
}

describe('acmCertificate.list', () => {
  it('lists each region on its own: the site certificates in us-east-1, the rest in the home region', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { sites, imported, pending, ellipticCurve } = account.acm.seed;

    // Act
    const east = await collect(acmCertificate.list(ctx, 'us-east-1'));
    const home = await collect(acmCertificate.list(ctx, HOME));
    const elsewhere = await collect(acmCertificate.list(ctx, 'eu-west-1'));

    // Assert
    expect(east.map((listed) => listed.id).sort()).toEqual(sites.map((s) => s.certificateArn).sort());
    expect(home.map((listed) => listed.id).sort()).toEqual([imported, pending, ellipticCurve].sort());
    expect(elsewhere).toEqual([]);
  });

  it('finds the EC_prime256v1 certificate that a listing without Includes.keyTypes misses', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { ellipticCurve } = account.acm.seed;

    // Act
    const plain = await new ACMClient({ region: HOME }).send(new ListCertificatesCommand({}));
    const listed = await collect(acmCertificate.list(ctx, HOME));

    // Assert
    expect(plain.CertificateSummaryList?.map((summary) => summary.CertificateArn)).not.toContain(
      ellipticCurve,
    );
    expect(listed.map((resource) => resource.id)).toContain(ellipticCurve);
  });
});

describe('acmCertificate.list with more certificates than a page holds', () => {
  beforeEach(async () => {
    await account.stop();
    account = await SimulatedAccount.start({ region: HOME, scale: { certificates: 1001 } });
  });

  it('follows NextToken to the last page', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    account.resetCallCounts();

    // Act
    const listed = await collect(acmCertificate.list(ctx, HOME));

    // Assert
    expect(listed).toHaveLength(1004);
    expect(new Set(listed.map((resource) => resource.id)).size).toBe(1004);
    // Two pages of the usual listing, one of the Amazon N2 listing.
    expect(account.callCounts().ListCertificates).toBe(3);
  });
});

describe('acmCertificate.describe', () => {
  it('captures a site certificate: domains, DNS validation, renewal, the distribution using it, tags', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { certificateArn, distributionArn } = site('sailjada.com');

    // Act
    const described = found(await acmCertificate.describe(ctx, certificateArn, 'us-east-1'));

    // Assert
    expect(described.gaps).toBeUndefined();
    expect(described.blobs).toBeUndefined();
    expect(described.raw.Tags).toEqual([{ Key: 'site', Value: 'sailjada.com' }]);
    const certificate = described.raw.Certificate as JsonObject;
    expect(certificate).toMatchObject({
      CertificateArn: certificateArn,
      DomainName: 'sailjada.com',
      SubjectAlternativeNames: ['sailjada.com', '*.sailjada.com', 'www.sailjada.com'],
      Status: 'ISSUED',
      Type: 'AMAZON_ISSUED',
      KeyAlgorithm: 'RSA_2048',
      SignatureAlgorithm: 'SHA256WITHRSA',
      Issuer: 'Amazon',
      Subject: 'CN=sailjada.com',
      InUseBy: [distributionArn],
      RenewalEligibility: 'ELIGIBLE',
      RenewalSummary: { RenewalStatus: 'SUCCESS' },
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
      KeyUsages: [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }],
    });
    expect(distributionArn).toMatch(/^arn:aws:cloudfront::123456789012:distribution\/E[A-Z0-9]{13}$/);
    const [apex] = certificate.DomainValidationOptions as JsonObject[];
    expect(apex).toMatchObject({
      DomainName: 'sailjada.com',
      ValidationMethod: 'DNS',
      ValidationStatus: 'SUCCESS',
    });
    expect(apex?.ResourceRecord).toMatchObject({
      Type: 'CNAME',
      Name: expect.stringMatching(/^_[0-9a-f]{32}\.sailjada\.com\.$/),
      Value: expect.stringMatching(/^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$/),
    });
  });

  it('captures an imported certificate with its public certificate and chain as blobs, never a private key', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { imported } = account.acm.seed;

    // Act
    const described = found(await acmCertificate.describe(ctx, imported, HOME));

    // Assert
    expect(described.gaps).toBeUndefined();
    expect(certificateOf(described)).toMatchObject({
      Type: 'IMPORTED',
      DomainName: 'shop.queenofsandiego.com',
      SubjectAlternativeNames: ['shop.queenofsandiego.com', 'pay.queenofsandiego.com'],
      Serial: '46:20:7f:04:52:72:25:97:9b:1e:5b:81:a7:61:c8:86:7b:f7:d5:c1',
      Issuer: 'Tidemark Simulation',
      NotBefore: '2026-12-05T05:51:03.000Z',
      NotAfter: '2028-01-06T05:51:03.000Z',
      ImportedAt: '2026-12-06T05:51:03.000Z',
      RenewalEligibility: 'INELIGIBLE',
    });
    expect(Object.keys(described.blobs ?? {}).sort()).toEqual(['certificate', 'chain']);
    const stored = (name: string) =>
      ctx.content.blobs.get(described.blobs?.[name] ?? '')?.toString('utf8') ?? '';
    expect(new X509Certificate(stored('certificate')).serialNumber).toBe(
      '46207F04527225979B1E5B81A761C8867BF7D5C1',
    );
    expect(new X509Certificate(stored('chain')).subject).toContain('CN=Tidemark Simulation Test CA');
    const everything = [...ctx.content.blobs.values()].map((blob) => blob.toString('utf8')).join('\n');
    expect(`${everything}${JSON.stringify(described.raw)}`).not.toMatch(/PRIVATE KEY/);
    expect(account.actionsCalled()).not.toContain('acm:ExportCertificate');
  });

  it('reuses the stored material of an imported certificate that was not re-imported', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { imported } = account.acm.seed;
    const first = found(await acmCertificate.describe(ctx, imported, HOME));
    const previous = { document: acmCertificate.normalise(first.raw), blobs: first.blobs ?? {} };
    account.resetCallCounts();

    // Act
    const second = found(await acmCertificate.describe(ctx, imported, HOME, previous));

    // Assert
    expect(second.blobs).toEqual(first.blobs);
    expect(account.callCounts().GetCertificate).toBeUndefined();
  });

  it('captures a request pending DNS validation, without reading material it does not have yet', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { pending } = account.acm.seed;
    account.resetCallCounts();

    // Act
    const described = found(await acmCertificate.describe(ctx, pending, HOME));

    // Assert
    const certificate = certificateOf(described);
    expect(certificate).toMatchObject({
      DomainName: 'book.salejada.com',
      Status: 'PENDING_VALIDATION',
      RenewalEligibility: 'INELIGIBLE',
      DomainValidationOptions: [
        { DomainName: 'book.salejada.com', ValidationStatus: 'PENDING_VALIDATION' },
        { DomainName: 'www.book.salejada.com', ValidationStatus: 'PENDING_VALIDATION' },
      ],
    });
    expect(certificate).not.toHaveProperty('Serial');
    expect(account.callCounts().GetCertificate).toBeUndefined();
  });

  it('records a denied ListTagsForCertificate as a gap and an unknown marker, the rest captured', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { certificateArn } = site('salejada.com');
    account.deny('acm:ListTagsForCertificate', certificateArn);

    // Act
    const described = found(await acmCertificate.describe(ctx, certificateArn, 'us-east-1'));

    // Assert
    expect(described.raw.Tags).toEqual({ [UNKNOWN_MARKER]: 'AccessDeniedException' });
    expect(certificateOf(described)).toMatchObject({ DomainName: 'salejada.com', Status: 'ISSUED' });
    expect(described.gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        type: TYPE,
        id: certificateArn,
        operation: 'acm:ListTagsForCertificate',
        code: 'AccessDeniedException',
      }),
    ]);
  });

  it('records a denied GetCertificate as a gap: no blobs, the same document', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { imported } = account.acm.seed;
    const allowed = found(await acmCertificate.describe(ctx, imported, HOME));
    account.deny('acm:GetCertificate', imported);

    // Act
    const denied = found(await acmCertificate.describe(ctx, imported, HOME));

    // Assert
    expect(denied.blobs).toBeUndefined();
    expect(denied.raw).toEqual(allowed.raw);
    expect(denied.gaps).toEqual([
      expect.objectContaining({
        kind: 'denied',
        operation: 'acm:GetCertificate',
        code: 'AccessDeniedException',
      }),
    ]);
  });

  it('is a gap when DescribeCertificate itself is denied', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { certificateArn } = site('queenofsandiego.com');
    account.deny('acm:DescribeCertificate');

    // Act
    const described = await acmCertificate.describe(ctx, certificateArn, 'us-east-1');

    // Assert
    expect(described).toMatchObject({
      status: 'gap',
      gap: { operation: 'acm:DescribeCertificate', code: 'AccessDeniedException' },
    });
  });

  it('does not find a us-east-1 certificate from another region', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { certificateArn } = site('sailjada.com');

    // Act
    const described = await acmCertificate.describe(ctx, certificateArn, 'eu-west-1');

    // Assert
    expect(described).toEqual({ status: 'not-found' });
  });
});

describe('acmCertificate.normalise', () => {
  it('keys validations by domain, sorts InUseBy and turns tags into a map', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { certificateArn } = site('queenofsandiego.com');
    const raw = found(await acmCertificate.describe(ctx, certificateArn, 'us-east-1')).raw;

    // Act
    const normalised = acmCertificate.normalise(raw);

    // Assert
    expect(normalised.Tags).toEqual({ site: 'queenofsandiego.com' });
    const certificate = normalised.Certificate as JsonObject;
    const validations = certificate.DomainValidationOptions as Record<string, JsonObject>;
    expect(Object.keys(validations)).toEqual([
      'queenofsandiego.com',
      '*.queenofsandiego.com',
      'www.queenofsandiego.com',
    ]);
    // A wildcard is validated by the record of the name it covers.
    expect(validations['*.queenofsandiego.com']?.ResourceRecord).toEqual(
      validations['queenofsandiego.com']?.ResourceRecord,
    );
    expect(
      Object.keys((certificate.RenewalSummary as JsonObject).DomainValidationOptions as JsonObject),
    ).toEqual(Object.keys(validations));
  });

  it('sorts the resources using a certificate, whatever order ACM lists them in', () => {
    // Arrange
    const raw = {
      Certificate: {
        InUseBy: [
          'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/shop/50dc6c495c0c9188',
          'arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL',
        ],
      },
      Tags: [],
    };

    // Act
    const normalised = acmCertificate.normalise(raw);

    // Assert
    expect((normalised.Certificate as JsonObject).InUseBy).toEqual([
      'arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL',
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/shop/50dc6c495c0c9188',
    ]);
  });
});

describe('certificate changes and their events', () => {
  it('a requested certificate is found pending validation, and its event maps to it alone', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });

    // Act
    const events = account.acm.requestCertificate('tickets.sailjada.com', ['www.tickets.sailjada.com']);

    // Assert
    const [event] = mapped(events);
    const [resource] = event?.resources ?? [];
    expect(event?.resources).toEqual([
      {
        account: '123456789012',
        region: HOME,
        type: TYPE,
        id: expect.stringMatching(/^arn:aws:acm:us-west-2:/),
      },
    ]);
    const certificate = certificateOf(await acmCertificate.describe(ctx, resource?.id ?? '', HOME));
    expect(certificate).toMatchObject({
      DomainName: 'tickets.sailjada.com',
      SubjectAlternativeNames: ['tickets.sailjada.com', 'www.tickets.sailjada.com'],
      Status: 'PENDING_VALIDATION',
    });
  });

  it('added tags show in the next capture, and the event names the certificate', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { certificateArn } = site('sailjada.com');

    // Act
    const events = account.acm.addTags(certificateArn, { team: 'marketing' });

    // Assert
    const raw = found(await acmCertificate.describe(ctx, certificateArn, 'us-east-1')).raw;
    expect(acmCertificate.normalise(raw).Tags).toEqual({ site: 'sailjada.com', team: 'marketing' });
    expect(mapped(events).flatMap((event) => event.resources)).toEqual([
      { account: '123456789012', region: 'us-east-1', type: TYPE, id: certificateArn },
    ]);
  });

  it('a deleted certificate is not found, and the event names it', async () => {
    // Arrange
    const ctx = createCaptureContext({ homeRegion: HOME });
    const { pending } = account.acm.seed;

    // Act
    const events = account.acm.deleteCertificate(pending);

    // Assert
    expect(await acmCertificate.describe(ctx, pending, HOME)).toEqual({ status: 'not-found' });
    expect(mapped(events).flatMap((event) => event.resources)).toEqual([
      { account: '123456789012', region: HOME, type: TYPE, id: pending },
    ]);
  });

  it('a certificate a distribution uses cannot be deleted', () => {
    // Arrange
    const { certificateArn } = site('salejada.com');

    // Act
    const deleting = () => account.acm.deleteCertificate(certificateArn);

    // Assert
    expect(deleting).toThrow(expect.objectContaining({ code: 'ResourceInUseException' }));
  });

  it('an expiry warning is recognised and maps to no resource', () => {
    // Arrange
    const { certificateArn } = site('queenofsandiego.com');

    // Act
    const [event] = mapped(account.acm.approachingExpiration(certificateArn, 30));

    // Assert
    expect(event?.resources).toEqual([]);
    expect(event?.skipped).toEqual({
      reason: 'not-a-change',
      detail: `aws.acm "ACM Certificate Approaching Expiration" for ${certificateArn}: nothing changed`,
    });
  });
});

describe('certificateFromRecord', () => {
  it('names nothing for an empty record or a value that is not a certificate ARN', () => {
    // Arrange
    const records = [{}, { requestParameters: { certificateArn: 'example.com' }, responseElements: null }];

    // Act
    const ids = records.map((record) => certificateFromRecord(record));

    // Assert
    expect(ids).toEqual([[], []]);
  });

  it('maps the documented ImportCertificate record to its certificate in the region of both record and ARN', () => {
    // Arrange
    const [event] = parseEventInput(readFixture('acm/ImportCertificate-1.json'), 'ImportCertificate-1.json');
    if (!event) throw new Error('fixture parsed to nothing');

    // Act
    const { resources } = mapEvent(event);

    // Assert
    expect(resources).toEqual([
      {
        account: '111122223333',
        region: 'ap-southeast-2',
        type: TYPE,
        id: 'arn:aws:acm:ap-southeast-2:111122223333:certificate/01234567-89ab-cdef-0123-456789abcdef',
      },
    ]);
  });
});
