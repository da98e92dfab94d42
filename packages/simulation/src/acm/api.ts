import {
  ACMClient,
  ACMServiceException,
  AccessDeniedException,
  type CertificateDetail,
  type CertificateKeyPairOrigin,
  type CertificateSummary,
  DescribeCertificateCommand,
  GetCertificateCommand,
  InvalidArgsException,
  InvalidArnException,
  type KeyAlgorithm,
  ListCertificatesCommand,
  type ListCertificatesRequest,
  ListTagsForCertificateCommand,
  RequestInProgressException,
  ResourceInUseException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-acm';
import { type CallContext, type CallTarget, defineOperation, type ServiceProfile } from '../dispatch.js';
import { fault, injectedFaults } from '../errors.js';
import { type AccountModel, optional } from '../model.js';
import { decodeMarker, encodeMarker, pageAfter } from '../paging.js';
import type { AcmModel, SimCertificate } from './model.js';

/** `MaxItems` of `ListCertificates`: 1 to 1000. AWS documents no default page size; the simulation uses the maximum. */
const MAX_ITEMS = 1000;

/** ACM's pattern for certificate ARNs; anything else is answered with `InvalidArnException`. */
const CERTIFICATE_ARN = /^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:certificate\/[\w+=,.@-]+$/;

/** Without `Includes.keyTypes`, ListCertificates returns only these (the `Filters` reference). */
const DEFAULT_KEY_TYPES: readonly KeyAlgorithm[] = ['RSA_1024', 'RSA_2048'];
/** Without `CertificateKeyPairOrigins`, ListCertificates leaves out certificates issued through ACME. */
const DEFAULT_KEY_PAIR_ORIGINS: readonly CertificateKeyPairOrigin[] = ['AWS_MANAGED', 'CUSTOMER_PROVIDED'];

/** The `Includes` filters the simulation answers. */
const SUPPORTED_INCLUDES = new Set(['keyTypes']);

/**
 * The ACM API of the simulated account. Certificates are regional: a client answers only for the certificates of
 * its own region, as ACM does (a us-east-1 certificate is not found from eu-west-1).
 */
export function acmProfile(model: AccountModel, acm: AcmModel): ServiceProfile {
  const target = (input: { CertificateArn?: string | undefined }): CallTarget => ({
    ids: [input.CertificateArn ?? ''],
    ...optional('arn', input.CertificateArn),
  });
  const find = (input: { CertificateArn?: string | undefined }, call: CallContext) =>
    findCertificate(acm, input.CertificateArn ?? '', call);

  return {
    service: 'acm',
    exceptions: {
      base: ACMServiceException,
      modeled: {
        AccessDeniedException,
        InvalidArgsException,
        InvalidArnException,
        RequestInProgressException,
        ResourceInUseException,
        ResourceNotFoundException,
        ThrottlingException,
        ValidationException,
      },
    },
    client: ACMClient,
    injectedFault: injectedFaults(model.caller, {
      throttled: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
      denied: { code: 'AccessDeniedException', status: 400 },
    }),
    operations: [
      defineOperation(ListCertificatesCommand, {
        action: 'acm:ListCertificates',
        answer: (input, call) => {
          const maxItems = input.MaxItems ?? MAX_ITEMS;
          if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_ITEMS) {
            throw fault(
              'ValidationException',
              400,
              `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and ${MAX_ITEMS}`,
            );
          }
          requireSupported(input);
          const selected = [...acm.certificates.values()]
            .filter((certificate) => certificate.region === call.region && listed(certificate, input))
            .sort((a, b) => (a.arn < b.arn ? -1 : 1));
          const { page, nextKey } = pageAfter(
            selected,
            (certificate) => certificate.arn,
            nextToken(input.NextToken),
            maxItems,
          );
          return {
            CertificateSummaryList: page.map(certificateSummary),
            ...optional('NextToken', nextKey === undefined ? undefined : encodeMarker(nextKey)),
          };
        },
      }),
      defineOperation(DescribeCertificateCommand, {
        action: 'acm:DescribeCertificate',
        target,
        answer: (input, call) => ({ Certificate: certificateDetail(find(input, call)) }),
      }),
      defineOperation(ListTagsForCertificateCommand, {
        action: 'acm:ListTagsForCertificate',
        target,
        answer: (input, call) => ({ Tags: find(input, call).tags.map((tag) => ({ ...tag })) }),
      }),
      defineOperation(GetCertificateCommand, {
        action: 'acm:GetCertificate',
        target,
        answer: (input, call) => {
          const certificate = find(input, call);
          if (certificate.status === 'PENDING_VALIDATION') {
            throw fault(
              'RequestInProgressException',
              400,
              `Certificate ${certificate.arn} is in state PENDING_VALIDATION: the request is in process and the certificate has not been issued yet.`,
            );
          }
          if (!certificate.material) {
            // Amazon-issued certificates carry no material in the simulation: failing loudly beats inventing it.
            throw new Error(`the simulated account holds no PEM material for ${certificate.arn}`);
          }
          return {
            Certificate: certificate.material.certificate,
            ...optional('CertificateChain', certificate.material.chain),
          };
        },
      }),
    ],
  };
}

/** Fails loudly on the listing options the simulation does not answer, rather than ignoring them. */
function requireSupported(input: ListCertificatesRequest): void {
  const unsupported = [
    ...Object.keys(input.Includes ?? {}).filter((name) => !SUPPORTED_INCLUDES.has(name)),
    ...(input.SortBy || input.SortOrder ? ['SortBy'] : []),
  ];
  if (unsupported.length > 0) {
    throw new Error(`the simulated ListCertificates does not implement ${unsupported.join(', ')}`);
  }
}

/** Whether a certificate passes a listing's filters, with ACM's defaults for those left out. */
function listed(certificate: SimCertificate, input: ListCertificatesRequest): boolean {
  const keyTypes = input.Includes?.keyTypes ?? DEFAULT_KEY_TYPES;
  const origins = input.CertificateKeyPairOrigins ?? DEFAULT_KEY_PAIR_ORIGINS;
  const roots = input.RootHierarchyTypes;
  return (
    keyTypes.includes(certificate.keyAlgorithm) &&
    origins.includes(certificate.keyPairOrigin) &&
    (input.CertificateStatuses === undefined || input.CertificateStatuses.includes(certificate.status)) &&
    (roots === undefined
      ? certificate.rootHierarchyType === undefined
      : certificate.rootHierarchyType !== undefined && roots.includes(certificate.rootHierarchyType))
  );
}

function nextToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const position = decodeMarker(value);
  if (position === undefined) {
    throw fault('InvalidArgsException', 400, 'One or more of request parameters specified is not valid.');
  }
  return position;
}

/** The certificate a call names, in the caller's region: `InvalidArnException` or `ResourceNotFoundException`. */
function findCertificate(acm: AcmModel, arn: string, call: CallContext): SimCertificate {
  if (!CERTIFICATE_ARN.test(arn))
    throw fault('InvalidArnException', 400, `String '${arn}' is not a valid ARN.`);
  const certificate = acm.certificates.get(arn);
  if (!certificate || certificate.region !== call.region) {
    throw fault('ResourceNotFoundException', 400, `Could not find certificate ${arn}.`);
  }
  return certificate;
}

/** Key usages of the certificates ACM issues for TLS servers (imported ones here carry the same). */
function keyUsages(certificate: SimCertificate) {
  if (!certificate.issued) return { keyUsages: [], extendedKeyUsages: [] };
  return {
    keyUsages: certificate.keyAlgorithm.startsWith('EC')
      ? (['DIGITAL_SIGNATURE'] as const)
      : (['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'] as const),
    extendedKeyUsages: [{ Name: 'TLS_WEB_SERVER_AUTHENTICATION' as const, OID: '1.3.6.1.5.5.7.3.1' }],
  };
}

/** Only Amazon-issued certificates in use are renewed by ACM. */
function renewalEligibility(certificate: SimCertificate) {
  return certificate.type === 'AMAZON_ISSUED' && certificate.issued && certificate.inUseBy.length > 0
    ? ('ELIGIBLE' as const)
    : ('INELIGIBLE' as const);
}

/** The dates of issue: `IssuedAt` for Amazon-issued certificates, `ImportedAt` for imported ones. */
function issueDates(certificate: SimCertificate) {
  const issued = certificate.issued;
  if (!issued) return {};
  return certificate.type === 'IMPORTED' ? { ImportedAt: issued.at } : { IssuedAt: issued.at };
}

function certificateSummary(certificate: SimCertificate): CertificateSummary {
  const usages = keyUsages(certificate);
  return {
    CertificateArn: certificate.arn,
    DomainName: certificate.domainName,
    SubjectAlternativeNameSummaries: [...certificate.subjectAlternativeNames],
    HasAdditionalSubjectAlternativeNames: false,
    Status: certificate.status,
    Type: certificate.type,
    KeyAlgorithm: certificate.keyAlgorithm,
    KeyUsages: [...usages.keyUsages],
    ExtendedKeyUsages: usages.extendedKeyUsages.map((usage) => usage.Name),
    ExportOption: 'DISABLED',
    InUse: certificate.inUseBy.length > 0,
    Exported: false,
    RenewalEligibility: renewalEligibility(certificate),
    ...optional('NotBefore', certificate.issued?.notBefore),
    ...optional('NotAfter', certificate.issued?.notAfter),
    CreatedAt: certificate.createdAt,
    ...issueDates(certificate),
    CertificateKeyPairOrigin: certificate.keyPairOrigin,
  };
}

function certificateDetail(certificate: SimCertificate): CertificateDetail {
  const issued = certificate.issued;
  const usages = keyUsages(certificate);
  return {
    CertificateArn: certificate.arn,
    DomainName: certificate.domainName,
    SubjectAlternativeNames: [...certificate.subjectAlternativeNames],
    ...(certificate.type === 'AMAZON_ISSUED'
      ? { DomainValidationOptions: structuredClone([...certificate.validations]) }
      : {}),
    ...optional('Serial', issued?.serial),
    ...optional('Subject', issued?.subject),
    ...optional('Issuer', issued?.issuer),
    CreatedAt: certificate.createdAt,
    ...issueDates(certificate),
    Status: certificate.status,
    ...optional('NotBefore', issued?.notBefore),
    ...optional('NotAfter', issued?.notAfter),
    KeyAlgorithm: certificate.keyAlgorithm,
    ...optional('SignatureAlgorithm', issued?.signatureAlgorithm),
    InUseBy: [...certificate.inUseBy],
    Type: certificate.type,
    ...optional('RenewalSummary', certificate.renewal && structuredClone(certificate.renewal)),
    KeyUsages: usages.keyUsages.map((name) => ({ Name: name })),
    ExtendedKeyUsages: usages.extendedKeyUsages.map((usage) => ({ ...usage })),
    RenewalEligibility: renewalEligibility(certificate),
    Options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
    CertificateKeyPairOrigin: certificate.keyPairOrigin,
  };
}
