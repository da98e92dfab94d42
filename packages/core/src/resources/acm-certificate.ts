import {
  type CertificateDetail,
  CertificateKeyPairOrigin,
  DescribeCertificateCommand,
  GetCertificateCommand,
  KeyAlgorithm,
  type ListCertificatesRequest,
  ListTagsForCertificateCommand,
  paginateListCertificates,
  RootHierarchyType,
} from '@aws-sdk/client-acm';
import type { CaptureContext } from '../capture/context.js';
import { partValue, readPart } from '../capture/read-part.js';
import type { ServiceNotification } from '../events/types.js';
import type { Described, Gap, Json, JsonObject, ListedResource, PreviousCapture } from '../types/resource.js';
import { acmCertificateRestore } from './acm-certificate-restore.js';
import { acmService } from './services.js';
import {
  field,
  isJsonObject,
  keyedBy,
  limitedPages,
  stringField,
  tagsAsMap,
  toJson,
  toJsonObject,
} from './support.js';
import type { IdExtractor, NotificationSpec, ResourceDefinition } from './types.js';

const TYPE = 'AWS::CertificateManager::Certificate';

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** Whether a value is an ACM certificate ARN: `arn:aws:acm:<region>:<account>:certificate/<id>`. */
function isCertificateArn(value: unknown): value is string {
  return typeof value === 'string' && CERTIFICATE_ARN.test(value);
}

/**
 * The certificate an ACM call names: `requestParameters.certificateArn` (every call on an existing certificate, a
 * re-import included), else `responseElements.certificateArn` (a new certificate from `RequestCertificate` or
 * `ImportCertificate`).
 */
export const certificateFromRecord: IdExtractor = (record) => {
  const arns = [
    field(record.requestParameters, 'certificateArn'),
    field(record.responseElements, 'certificateArn'),
  ].filter(isCertificateArn);
  return [...new Set(arns)];
};

/** CloudTrail events that create, delete or change a certificate (its material, options, tags or status). */
const CERTIFICATE_EVENTS = [
  'RequestCertificate',
  'ImportCertificate',
  'DeleteCertificate',
  'AddTagsToCertificate',
  'RemoveTagsFromCertificate',
  'RenewCertificate',
  'ResendValidationEmail',
  'UpdateCertificateOptions',
  'RevokeCertificate',
] as const;

/** The certificate ARNs an ACM service event names in its envelope's `resources`. */
function certificatesOf(event: ServiceNotification): readonly string[] {
  return event.resources.filter(isCertificateArn);
}

/**
 * ACM's own EventBridge events. Only the expiry countdown leaves the certificate as it was; every other one reports
 * a change `DescribeCertificate` shows, so the certificate is captured again:
 * - "ACM Certificate Approaching Expiration": sent daily from 45 days before `NotAfter`; nothing changed.
 * - "ACM Certificate Available": issued, renewed, re-imported or rotated: new serial, validity and status.
 * - "ACM Certificate Expired": `Status` became `EXPIRED`.
 * - "ACM Certificate Renewal Action Required": `RenewalSummary.RenewalStatus` became `PENDING_VALIDATION` or
 *   `FAILED` (with its reason).
 * - "ACM Certificate Rotated": new key material and serial.
 * - "ACM Certificate Revoked": `Status` became `REVOKED`, with `RevokedAt` and `RevocationReason`.
 */
const CERTIFICATE_NOTIFICATIONS: readonly NotificationSpec[] = [
  {
    source: 'aws.acm',
    detailTypes: ['ACM Certificate Approaching Expiration'],
    changes: false,
    ids: certificatesOf,
  },
  {
    source: 'aws.acm',
    detailTypes: [
      'ACM Certificate Available',
      'ACM Certificate Expired',
      'ACM Certificate Renewal Action Required',
      'ACM Certificate Rotated',
      'ACM Certificate Revoked',
    ],
    changes: true,
    ids: certificatesOf,
  },
];

/**
 * The listings that together return every certificate of a region. Without `Includes.keyTypes` ACM returns only
 * RSA_1024 and RSA_2048 certificates, without `CertificateKeyPairOrigins` none issued through ACME, and Amazon N2
 * certificates only to a listing that asks for their root hierarchies, which then returns nothing else.
 */
const LISTINGS: readonly ListCertificatesRequest[] = [
  {},
  { RootHierarchyTypes: Object.values(RootHierarchyType) },
].map((listing) => ({
  ...listing,
  Includes: { keyTypes: Object.values(KeyAlgorithm) },
  CertificateKeyPairOrigins: Object.values(CertificateKeyPairOrigin),
  MaxItems: 1000,
}));

async function* listCertificates(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(acmService, region);
  for (const input of LISTINGS) {
    for await (const page of limitedPages(
      ctx.limit(acmService),
      paginateListCertificates({ client }, input),
    )) {
      for (const summary of page.CertificateSummaryList ?? []) {
        if (summary.CertificateArn) yield { id: summary.CertificateArn };
      }
    }
  }
}

type MaterialOutcome = { readonly blobs: Record<string, string> } | { readonly gap: Gap };

/**
 * The public certificate and chain of an imported certificate, stored as the `certificate` and `chain` blobs
 * (never the private key: `ExportCertificate` is never called). The previous capture's blobs are reused when the
 * certificate was not re-imported since (same serial, same `ImportedAt`) and its content is still stored.
 */
async function importedMaterial(
  ctx: CaptureContext,
  spec: { type: string; region: string; id: string },
  detail: CertificateDetail,
  previous: PreviousCapture | undefined,
): Promise<MaterialOutcome> {
  const before = previous?.document.Certificate;
  const reusable =
    previous?.blobs.certificate !== undefined &&
    stringField(before, 'Serial') === detail.Serial &&
    stringField(before, 'ImportedAt') === toJson(detail.ImportedAt) &&
    (await Promise.all(Object.values(previous.blobs).map((hash) => ctx.content.has(hash)))).every(Boolean);
  if (reusable) return { blobs: { ...previous.blobs } };

  const client = ctx.client(acmService, spec.region);
  const fetched = await readPart({ ...spec, operation: 'acm:GetCertificate' }, () =>
    ctx.limit(acmService)(() => client.send(new GetCertificateCommand({ CertificateArn: spec.id }))),
  );
  if (fetched.state === 'gap') return { gap: fetched.gap };
  const blobs: Record<string, string> = {};
  if (fetched.state !== 'ok') return { blobs };
  const { Certificate: certificate, CertificateChain: chain } = fetched.value;
  if (certificate) blobs.certificate = (await ctx.content.putBytes(Buffer.from(certificate, 'utf8'))).hash;
  if (chain) blobs.chain = (await ctx.content.putBytes(Buffer.from(chain, 'utf8'))).hash;
  return { blobs };
}

async function describeCertificate(
  ctx: CaptureContext,
  arn: string,
  region: string,
  previous?: PreviousCapture,
): Promise<Described> {
  const spec = { type: TYPE, region, id: arn };
  const client = ctx.client(acmService, region);
  const limit = ctx.limit(acmService);

  const described = await readPart({ ...spec, operation: 'acm:DescribeCertificate' }, () =>
    limit(() => client.send(new DescribeCertificateCommand({ CertificateArn: arn }))),
  );
  if (described.state === 'not-found' || described.state === 'absent') return { status: 'not-found' };
  if (described.state === 'gap') return { status: 'gap', gap: described.gap };
  const detail = described.value.Certificate ?? {};

  const [tags, material] = await Promise.all([
    readPart({ ...spec, operation: 'acm:ListTagsForCertificate' }, () =>
      limit(() => client.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))),
    ),
    detail.Type === 'IMPORTED' ? importedMaterial(ctx, spec, detail, previous) : { blobs: {} },
  ]);
  if (tags.state === 'not-found') return { status: 'not-found' };

  const gaps: Gap[] = [];
  if (tags.state === 'gap') gaps.push(tags.gap);
  if ('gap' in material) gaps.push(material.gap);
  const blobs = 'blobs' in material ? material.blobs : {};
  const raw: JsonObject = {
    Certificate: toJsonObject(detail),
    Tags: partValue(tags, (output) => toJson(output.Tags ?? []) ?? []),
  };
  return {
    status: 'found',
    raw,
    ...(Object.keys(blobs).length > 0 ? { blobs } : {}),
    ...(gaps.length > 0 ? { gaps } : {}),
  };
}

/** Domain validations keyed by domain name: their order only repeats the order of the names. */
function keyedValidations(holder: JsonObject): JsonObject {
  const validations = keyedBy(holder.DomainValidationOptions, 'DomainName');
  return validations === undefined ? holder : { ...holder, DomainValidationOptions: validations };
}

/** The certificate detail with validations keyed by domain and `InUseBy` sorted (ACM lists it in no set order). */
function normaliseDetail(detail: JsonObject): JsonObject {
  const normalised = keyedValidations(detail);
  if (isJsonObject(detail.RenewalSummary))
    normalised.RenewalSummary = keyedValidations(detail.RenewalSummary);
  if (Array.isArray(detail.InUseBy)) normalised.InUseBy = [...detail.InUseBy].sort() as Json[];
  return normalised;
}

/**
 * `AWS::CertificateManager::Certificate`: a certificate as `DescribeCertificate` reports it (domains, status, type,
 * validation records, renewal, the resources using it, key and signature algorithms, validity, issuer, serial, key
 * usages, options) with its tags; an imported certificate's public certificate and chain as the `certificate` and
 * `chain` blobs. Identifier: the certificate ARN. Private keys are never read.
 *
 * The material is kept as blobs rather than document fields: it is opaque, kilobytes long and repeats what the
 * document already says of it (serial, validity, issuer), so the document stays readable, re-imports of the same
 * material share one stored copy, and a capture that could not fetch it (a denied `acm:GetCertificate`, recorded as
 * a gap) keeps the same document and is completed by the next one.
 *
 * Volatile: `RenewalSummary.UpdatedAt`, which ACM moves on each renewal check while the renewal status and the
 * per-domain validations (all kept) stay the same. `InUseBy` is kept: a distribution starting or stopping to use
 * the certificate is a change worth a version.
 */
export const acmCertificate: ResourceDefinition = {
  type: TYPE,
  service: acmService,
  eventSource: 'acm.amazonaws.com',
  scope: 'regional',
  listOperation: 'acm:ListCertificates',
  permissions: [
    'acm:ListCertificates',
    'acm:DescribeCertificate',
    'acm:ListTagsForCertificate',
    'acm:GetCertificate',
  ],
  volatile: ['Certificate.RenewalSummary.UpdatedAt'],
  secrets: [],
  events: Object.fromEntries(CERTIFICATE_EVENTS.map((name) => [name, certificateFromRecord])),
  notifications: CERTIFICATE_NOTIFICATIONS,
  list: listCertificates,
  describe: describeCertificate,
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    if (isJsonObject(raw.Certificate)) normalised.Certificate = normaliseDetail(raw.Certificate);
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
  restore: acmCertificateRestore,
};
