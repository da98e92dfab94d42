import type {
  CertificateKeyPairOrigin,
  CertificateStatus,
  CertificateType,
  DomainValidation,
  KeyAlgorithm,
  RenewalSummary,
  RootHierarchyType,
  Tag,
} from '@aws-sdk/client-acm';
import { type AccountModel, optional } from '../model.js';
import { SITE_DOMAINS, seedDate } from '../seed-names.js';
import type { SiteEdge } from '../service-simulator.js';
import { IMPORTED_CERTIFICATE_PEM, IMPORTED_CHAIN_PEM, pemFacts } from './imported-certificate.js';

/** Where CloudFront's certificates must live, whatever the home region. */
const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** ACM's public certificates are valid for 198 days. */
const VALIDITY_DAYS = 198;
const DAY = 86_400_000;

/** One ACM certificate of the simulated account, in the SDK's own shapes where it has them. */
export interface SimCertificate {
  readonly arn: string;
  readonly region: string;
  readonly domainName: string;
  /** The domain name first, as ACM lists them. */
  readonly subjectAlternativeNames: readonly string[];
  readonly type: CertificateType;
  status: CertificateStatus;
  readonly keyAlgorithm: KeyAlgorithm;
  readonly keyPairOrigin: CertificateKeyPairOrigin;
  /** Set only on Amazon N2 certificates, which default listings leave out. */
  readonly rootHierarchyType?: RootHierarchyType;
  readonly createdAt: Date;
  /** Present once issued (or imported). */
  readonly issued?: IssuedFacts;
  /** Initial domain validations of an Amazon-issued certificate; empty for imported ones. */
  readonly validations: readonly DomainValidation[];
  readonly renewal?: RenewalSummary;
  /** ARNs of the resources using the certificate (CloudFront distributions, load balancers). */
  inUseBy: string[];
  tags: Tag[];
  /** Public PEM material of an imported certificate (never a private key). */
  readonly material?: { readonly certificate: string; readonly chain?: string };
}

/** What an issued or imported certificate says of itself. */
export interface IssuedFacts {
  readonly serial: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly signatureAlgorithm: string;
  /** `IssuedAt` of an Amazon-issued certificate, `ImportedAt` of an imported one. */
  readonly at: Date;
}

/** One certificate of a website, used by its CloudFront distribution. */
export interface SiteCertificate {
  readonly domain: string;
  readonly certificateArn: string;
  /** `arn:aws:cloudfront::<account>:distribution/E…`, the distribution named in `InUseBy`. */
  readonly distributionArn: string;
}

/** The ARNs of the seeded certificates, for tests and for aligning the other simulated services. */
export interface AcmSeed {
  /** One per site domain, in us-east-1. */
  readonly sites: readonly SiteCertificate[];
  /** The imported certificate, in the home region. */
  readonly imported: string;
  /** The certificate requested and still waiting for DNS validation, in the home region. */
  readonly pending: string;
  /** The EC_prime256v1 certificate, in the home region: only listings that ask for every key type show it. */
  readonly ellipticCurve: string;
}

/** A new Amazon-issued certificate request. */
export interface CertificateRequest {
  /** @default a new ARN in `region` */
  readonly arn?: string;
  readonly region: string;
  readonly domainName: string;
  readonly subjectAlternativeNames: readonly string[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly createdAt: Date;
}

/** The certificates of the simulated account, in every region, by ARN. */
export class AcmModel {
  readonly certificates = new Map<string, SimCertificate>();
  readonly seed: AcmSeed;
  readonly #model: AccountModel;

  constructor(
    model: AccountModel,
    generated: number,
    edges?: (domain: string) => Pick<SiteEdge, 'certificateArn' | 'distributionArn'>,
  ) {
    this.#model = model;
    this.seed = this.#seedBusiness(edges);
    for (let n = 1; n <= generated; n++) this.#seedGenerated(n);
  }

  /** The distinct DNS validation records of a certificate, as its zone holds them. */
  validationRecords(arn: string): SiteEdge['validationRecords'] {
    const records = new Map<string, string>();
    for (const validation of this.certificate(arn).validations) {
      const record = validation.ResourceRecord;
      if (record?.Name && record.Value) records.set(record.Name, record.Value);
    }
    return [...records].map(([name, value]) => ({ name, value }));
  }

  /** The certificate, or an error naming it (for the change methods; API handlers answer with AWS errors). */
  certificate(arn: string): SimCertificate {
    const certificate = this.certificates.get(arn);
    if (!certificate) throw new Error(`no certificate ${arn} in the simulated account`);
    return certificate;
  }

  /** Adds a `PENDING_VALIDATION` certificate with fresh DNS validation records. */
  request(request: CertificateRequest): SimCertificate {
    const certificate: SimCertificate = {
      arn: request.arn ?? this.#arn(request.region),
      region: request.region,
      domainName: request.domainName,
      subjectAlternativeNames: namesOf(request.domainName, request.subjectAlternativeNames),
      type: 'AMAZON_ISSUED',
      status: 'PENDING_VALIDATION',
      keyAlgorithm: request.keyAlgorithm,
      keyPairOrigin: 'AWS_MANAGED',
      createdAt: request.createdAt,
      validations: this.#validations(
        namesOf(request.domainName, request.subjectAlternativeNames),
        'PENDING_VALIDATION',
      ),
      inUseBy: [],
      tags: [],
    };
    this.certificates.set(certificate.arn, certificate);
    return certificate;
  }

  #seedBusiness(edges?: (domain: string) => Pick<SiteEdge, 'certificateArn' | 'distributionArn'>): AcmSeed {
    const random = this.#model.random;
    const sites = SITE_DOMAINS.map((domain, index) => {
      const edge = edges?.(domain);
      const distributionArn =
        edge?.distributionArn ??
        `arn:aws:cloudfront::${this.#model.accountId}:distribution/E${random.upperAlnum(13)}`;
      const issuedAt = seedDate(`2026-10-${String(14 + index).padStart(2, '0')}T09:12:40`);
      const certificate = this.#issued(
        {
          ...(edge ? { arn: edge.certificateArn } : {}),
          region: CLOUDFRONT_CERTIFICATE_REGION,
          domainName: domain,
          subjectAlternativeNames: [`*.${domain}`, `www.${domain}`],
          keyAlgorithm: 'RSA_2048',
          createdAt: seedDate(`2024-0${3 + index}-11T17:40:05`),
        },
        issuedAt,
        { inUseBy: [distributionArn], tags: [{ Key: 'site', Value: domain }] },
      );
      return { domain, certificateArn: certificate.arn, distributionArn };
    });
    const ellipticCurve = this.#issued(
      {
        region: this.#model.homeRegion,
        domainName: 'api.sailjada.com',
        subjectAlternativeNames: [],
        keyAlgorithm: 'EC_prime256v1',
        createdAt: seedDate('2026-09-02T15:03:11'),
      },
      seedDate('2026-09-02T15:09:47'),
      { inUseBy: [], tags: [{ Key: 'service', Value: 'booking-api' }] },
    );
    const pending = this.request({
      region: this.#model.homeRegion,
      domainName: 'book.salejada.com',
      subjectAlternativeNames: ['www.book.salejada.com'],
      keyAlgorithm: 'RSA_2048',
      createdAt: seedDate('2026-11-28T11:25:31'),
    });
    return { sites, imported: this.#imported().arn, pending: pending.arn, ellipticCurve: ellipticCurve.arn };
  }

  /** `certificates` more Amazon-issued certificates in the home region, `app-0001.sailjada.com`…, not in use. */
  #seedGenerated(n: number): void {
    const created = new Date(seedDate('2026-06-01T08:00:00').getTime() + n * 60_000);
    this.#issued(
      {
        region: this.#model.homeRegion,
        domainName: `app-${String(n).padStart(4, '0')}.sailjada.com`,
        subjectAlternativeNames: [],
        keyAlgorithm: 'RSA_2048',
        createdAt: created,
      },
      new Date(created.getTime() + 5 * 60_000),
      { inUseBy: [], tags: [] },
    );
  }

  /**
   * An Amazon-issued, DNS-validated certificate issued at `issuedAt`: a renewal (`RenewalSummary` `SUCCESS`) when
   * it was requested long before, eligible for the next one while something uses it.
   */
  #issued(
    request: CertificateRequest,
    issuedAt: Date,
    use: { readonly inUseBy: string[]; readonly tags: Tag[] },
  ): SimCertificate {
    const random = this.#model.random;
    const requested = this.request(request);
    const validations = requested.validations.map((validation) => ({
      ...validation,
      ValidationStatus: 'SUCCESS' as const,
    }));
    const renewed = issuedAt.getTime() - request.createdAt.getTime() > VALIDITY_DAYS * DAY;
    const notBefore = new Date(Math.floor(issuedAt.getTime() / DAY) * DAY);
    const certificate: SimCertificate = {
      ...requested,
      status: 'ISSUED',
      issued: {
        serial: (random.hex(32).match(/../g) ?? []).join(':'),
        subject: `CN=${request.domainName}`,
        issuer: 'Amazon',
        notBefore,
        notAfter: new Date(notBefore.getTime() + VALIDITY_DAYS * DAY - 1000),
        signatureAlgorithm: request.keyAlgorithm.startsWith('EC') ? 'SHA256WITHECDSA' : 'SHA256WITHRSA',
        at: issuedAt,
      },
      validations,
      ...optional(
        'renewal',
        renewed
          ? { RenewalStatus: 'SUCCESS' as const, DomainValidationOptions: validations, UpdatedAt: issuedAt }
          : undefined,
      ),
      inUseBy: use.inUseBy,
      tags: use.tags,
    };
    this.certificates.set(certificate.arn, certificate);
    return certificate;
  }

  /** The certificate bought from another CA and imported into the home region, a day after it became valid. */
  #imported(): SimCertificate {
    const facts = pemFacts(IMPORTED_CERTIFICATE_PEM);
    const importedAt = new Date(facts.notBefore.getTime() + DAY);
    const certificate: SimCertificate = {
      arn: this.#arn(this.#model.homeRegion),
      region: this.#model.homeRegion,
      domainName: facts.domainName,
      subjectAlternativeNames: facts.subjectAlternativeNames,
      type: 'IMPORTED',
      status: 'ISSUED',
      keyAlgorithm: 'RSA_2048',
      keyPairOrigin: 'CUSTOMER_PROVIDED',
      createdAt: importedAt,
      issued: {
        serial: facts.serial,
        subject: facts.subject,
        issuer: facts.issuer,
        notBefore: facts.notBefore,
        notAfter: facts.notAfter,
        signatureAlgorithm: 'SHA256WITHRSA',
        at: importedAt,
      },
      validations: [],
      inUseBy: [],
      tags: [{ Key: 'source', Value: 'third-party-ca' }],
      material: { certificate: IMPORTED_CERTIFICATE_PEM, chain: IMPORTED_CHAIN_PEM },
    };
    this.certificates.set(certificate.arn, certificate);
    return certificate;
  }

  /**
   * DNS validations of the names: one CNAME per name, except that a wildcard shares the record of the name it
   * covers (`*.example.com` is validated by `example.com`'s record), as ACM does.
   */
  #validations(names: readonly string[], status: 'PENDING_VALIDATION' | 'SUCCESS'): DomainValidation[] {
    const random = this.#model.random;
    const records = new Map<string, { Name: string; Type: 'CNAME'; Value: string }>();
    return names.map((name) => {
      const base = name.replace(/^\*\./, '');
      let record = records.get(base);
      if (!record) {
        record = {
          Name: `_${random.hex(32)}.${base}.`,
          Type: 'CNAME',
          Value: `_${random.hex(32)}.${random.chars(10, 'abcdefghijklmnopqrstuvwxyz')}.acm-validations.aws.`,
        };
        records.set(base, record);
      }
      return {
        DomainName: name,
        ValidationDomain: name,
        ValidationStatus: status,
        ResourceRecord: { ...record },
        ValidationMethod: 'DNS',
      };
    });
  }

  #arn(region: string): string {
    return `arn:aws:acm:${region}:${this.#model.accountId}:certificate/${this.#model.random.uuid()}`;
  }
}

/** The domain name followed by the other names, each once. */
function namesOf(domainName: string, others: readonly string[]): string[] {
  return [...new Set([domainName, ...others])];
}
