import {
  createdSince,
  fromParts,
  hasEntries,
  keyedDifference,
  type PartPlan,
  type StepOf,
  stepsOf,
  tagList,
  unreadPart,
} from '../restore/parts.js';
import { type PlanInput, type PlannedChange, RestoreAction, type RestoreSpec } from '../restore/types.js';
import type { Json, JsonObject } from '../types/json.js';
import { isJsonObject } from './support.js';

/**
 * How a certificate is restored, by the user: Tidemark plans the calls and sends none (a new certificate changes
 * what distributions, API domains and load balancers must name). A deleted Amazon-issued or private certificate is
 * requested again with its captured domains, validation, key algorithm, options and tags; the new one has a new ARN
 * and is validated again. An imported certificate cannot be put back: its private key never left the user. A live
 * certificate cannot change its domains; its tags and transparency logging are put back.
 */
export const acmCertificateRestore: RestoreSpec = { plan: planCertificate };

function planCertificate({ captured, live, target, prune }: PlanInput): PlannedChange {
  const serviceStep = stepsOf('acm', target.region);
  const step: StepOf = (operation, input, summary) =>
    serviceStep(operation, { CertificateArn: target.id, ...input }, summary);
  if (!captured)
    return createdSince(live, {
      prune,
      removal: () => [
        step(
          'DeleteCertificate',
          {},
          'delete the certificate requested or imported after the moment restored to',
        ),
      ],
    });
  const certificate = objectAt(captured.document.Certificate);
  if (!live) {
    if (certificate.Type === 'IMPORTED')
      return {
        action: RestoreAction.CANNOT,
        reason: 'ACM never gave out its private key: import it again from your own copy',
        steps: [],
      };
    return requestAgain(certificate, captured.document.Tags, serviceStep);
  }
  return fromParts(RestoreAction.UPDATE, [
    optionSteps(certificate, objectAt(live.document.Certificate), step),
    certificateTagSteps(captured.document.Tags, live.document.Tags, step),
  ]);
}

/** `RequestCertificate` with what the captured certificate was requested with, and what the user must do after. */
function requestAgain(certificate: JsonObject, tags: Json | undefined, step: StepOf): PlannedChange {
  const validations = Object.values(objectAt(certificate.DomainValidationOptions)).map(objectAt);
  const method = validations[0]?.ValidationMethod;
  const names = stringsAt(certificate.SubjectAlternativeNames);
  const options = objectAt(certificate.Options);
  const authority = certificate.CertificateAuthorityArn;
  const input: JsonObject = {
    DomainName: String(certificate.DomainName ?? ''),
    ...(names.length > 0 ? { SubjectAlternativeNames: names } : {}),
    ...(typeof authority === 'string'
      ? { CertificateAuthorityArn: authority }
      : { ValidationMethod: typeof method === 'string' ? method : 'DNS' }),
    ...(method === 'EMAIL'
      ? {
          DomainValidationOptions: validations.map((validation) => ({
            DomainName: validation.DomainName ?? null,
            ValidationDomain: validation.ValidationDomain ?? validation.DomainName ?? null,
          })),
        }
      : {}),
    ...(typeof certificate.KeyAlgorithm === 'string'
      ? { KeyAlgorithm: requestedKeyAlgorithm(certificate.KeyAlgorithm) }
      : {}),
    ...(Object.keys(options).length > 0 ? { Options: requestedOptions(options) } : {}),
    ...(hasEntries(tags) ? { Tags: tagList(tags) } : {}),
  };
  const users = stringsAt(certificate.InUseBy);
  return {
    action: RestoreAction.RECREATE,
    steps: [step('RequestCertificate', input, `request the certificate for ${input.DomainName} again`)],
    notes: [
      `the new certificate has a new ARN: distributions, API domains and load balancers that named the old one must be updated${users.length > 0 ? ` (it was in use by ${users.join(', ')})` : ''}`,
      validationNote(typeof authority === 'string' ? 'PRIVATE' : method, validations),
    ],
  };
}

/**
 * The key algorithm as `RequestCertificate` spells it: `DescribeCertificate` reports `RSA-2048` and
 * `EC-prime256v1`, the request takes `RSA_2048` and `EC_prime256v1`.
 */
function requestedKeyAlgorithm(algorithm: string): string {
  return algorithm.replace('-', '_');
}

/** The options a request takes: transparency logging, and export only when the certificate was exportable. */
function requestedOptions(options: JsonObject): JsonObject {
  return {
    ...(options.CertificateTransparencyLoggingPreference === undefined
      ? {}
      : { CertificateTransparencyLoggingPreference: options.CertificateTransparencyLoggingPreference }),
    ...(options.Export === 'ENABLED' ? { Export: 'ENABLED' } : {}),
  };
}

function validationNote(method: Json | undefined, validations: readonly JsonObject[]): string {
  if (method === 'PRIVATE') return 'the private CA issues it at once: nothing to validate';
  if (method === 'EMAIL')
    return 'ACM emails the domains’ contacts: it is issued once they approve the request';
  const records = validations
    .map((validation) => objectAt(validation.ResourceRecord))
    .filter((record) => typeof record.Name === 'string')
    .map((record) => `${record.Name} ${record.Type ?? 'CNAME'} ${record.Value}`);
  return `it is issued once ACM finds its DNS validation records, which DescribeCertificate lists: check the zones hold them${records.length > 0 ? ` (the old certificate's were ${records.join('; ')})` : ''}`;
}

/** Transparency logging put back (`UpdateCertificateOptions`); the export option cannot change after issue. */
function optionSteps(before: JsonObject, now: JsonObject, step: StepOf): PartPlan {
  const wanted = objectAt(before.Options).CertificateTransparencyLoggingPreference;
  const current = objectAt(now.Options).CertificateTransparencyLoggingPreference;
  return {
    steps:
      typeof wanted === 'string' && wanted !== current
        ? [
            step(
              'UpdateCertificateOptions',
              { Options: { CertificateTransparencyLoggingPreference: wanted } },
              `put back certificate transparency logging ${wanted}`,
            ),
          ]
        : [],
    notes: [],
  };
}

/** Tags that differ added (`AddTagsToCertificate`), tags added since removed with their values. */
function certificateTagSteps(before: Json | undefined, now: Json | undefined, step: StepOf): PartPlan {
  const note = unreadPart('its tags', before, now);
  if (note) return { steps: [], notes: [note] };
  const { put, added } = keyedDifference(before, now);
  return {
    steps: [
      ...(put.length > 0
        ? [
            step(
              'AddTagsToCertificate',
              { Tags: tagList(before, put) },
              `put back the tags ${put.join(', ')}`,
            ),
          ]
        : []),
      ...(added.length > 0
        ? [
            step(
              'RemoveTagsFromCertificate',
              { Tags: tagList(now, added) },
              `remove the tags added since: ${added.join(', ')}`,
            ),
          ]
        : []),
    ],
    notes: [],
  };
}

function stringsAt(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function objectAt(value: Json | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}
