import type { ServiceProfile } from '../dispatch.js';
import { fault } from '../errors.js';
import { type ApiCallSpec, isoSeconds } from '../events.js';
import {
  emitApiCall,
  type SimulatedServiceModule,
  type SimulationContext,
  type SiteEdge,
} from '../service-simulator.js';
import type { AcmCertificateApproachingExpiration, SimulatedEvent, SimulatedScale } from '../types.js';
import { acmProfile } from './api.js';
import { AcmModel, type AcmSeed } from './model.js';

const EVENT_SOURCE = 'acm.amazonaws.com';

/**
 * ACM in the simulated account: one Amazon-issued, DNS-validated RSA_2048 certificate per website in us-east-1,
 * used by the site's CloudFront distribution; in the home region an imported certificate with real PEM material, an
 * EC_prime256v1 certificate (listed only when every key type is asked for) and a request still pending validation;
 * plus `scale.certificates` generated ones. The change methods return the events ACM and CloudTrail emit.
 *
 * @example
 * const [event] = account.acm.requestCertificate('tickets.sailjada.com', ['www.tickets.sailjada.com']);
 */
export class SimulatedAcm implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  /** The seeded certificates' ARNs (and the distributions using the site certificates). */
  readonly seed: AcmSeed;
  readonly #context: SimulationContext;
  readonly #acm: AcmModel;

  /** `edges` gives each website's certificate ARN and the distribution using it (CloudFront's). */
  constructor(
    context: SimulationContext,
    scale: SimulatedScale,
    edges?: (domain: string) => Pick<SiteEdge, 'certificateArn' | 'distributionArn'>,
  ) {
    this.#context = context;
    this.#acm = new AcmModel(context.model, scale.certificates ?? 0, edges);
    this.seed = this.#acm.seed;
    this.profiles = [acmProfile(context.model, this.#acm)];
  }

  /** The distinct DNS validation records of a certificate (`_….example.com.` CNAMEs to `acm-validations.aws.`). */
  validationRecords(arn: string): SiteEdge['validationRecords'] {
    return this.#acm.validationRecords(arn);
  }

  /**
   * Requests a DNS-validated RSA_2048 certificate (in the home region unless `region` is given, us-east-1 for
   * CloudFront); it stays `PENDING_VALIDATION`. The ARN is in the event's `responseElements.certificateArn`.
   */
  requestCertificate(
    domainName: string,
    subjectAlternativeNames: readonly string[] = [],
    region: string = this.#context.model.homeRegion,
  ): SimulatedEvent[] {
    const at = this.#context.now();
    const certificate = this.#acm.request({
      region,
      domainName,
      subjectAlternativeNames,
      keyAlgorithm: 'RSA_2048',
      createdAt: at,
    });
    return this.#apiCall('RequestCertificate', region, at, {
      requestParameters: {
        domainName,
        validationMethod: 'DNS',
        ...(subjectAlternativeNames.length > 0
          ? { subjectAlternativeNames: [...subjectAlternativeNames] }
          : {}),
        keyAlgorithm: 'RSA_2048',
        options: { certificateTransparencyLoggingPreference: 'ENABLED', export: 'DISABLED' },
      },
      responseElements: { certificateArn: certificate.arn },
    });
  }

  /** Deletes a certificate; throws ACM's `ResourceInUseException` while a resource still uses it. */
  deleteCertificate(arn: string): SimulatedEvent[] {
    const certificate = this.#acm.certificate(arn);
    if (certificate.inUseBy.length > 0) {
      throw fault(
        'ResourceInUseException',
        400,
        `Certificate ${arn} is in use by ${certificate.inUseBy.join(', ')}`,
      );
    }
    this.#acm.certificates.delete(arn);
    return this.#apiCall('DeleteCertificate', certificate.region, this.#context.now(), {
      requestParameters: { certificateArn: arn },
      responseElements: null,
    });
  }

  /** Adds tags to a certificate, replacing the value of a key it already has. */
  addTags(arn: string, tags: Readonly<Record<string, string>>): SimulatedEvent[] {
    const certificate = this.#acm.certificate(arn);
    const added = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    certificate.tags = [...certificate.tags.filter((tag) => !Object.hasOwn(tags, tag.Key ?? '')), ...added];
    return this.#apiCall('AddTagsToCertificate', certificate.region, this.#context.now(), {
      requestParameters: {
        tags: added.map((tag) => ({ value: tag.Value, key: tag.Key })),
        certificateArn: arn,
      },
      responseElements: null,
    });
  }

  /** ACM's daily "ACM Certificate Approaching Expiration" event for a certificate; nothing changes. */
  approachingExpiration(arn: string, daysToExpiry: number): SimulatedEvent[] {
    const certificate = this.#acm.certificate(arn);
    const { model } = this.#context;
    const event: AcmCertificateApproachingExpiration = {
      version: '0',
      id: model.random.uuid(),
      'detail-type': 'ACM Certificate Approaching Expiration',
      source: 'aws.acm',
      account: model.accountId,
      time: isoSeconds(this.#context.now()),
      region: certificate.region,
      resources: [arn],
      detail: { DaysToExpiry: daysToExpiry, CommonName: certificate.domainName },
    };
    return this.#context.emit([event]);
  }

  #apiCall(
    eventName: string,
    region: string,
    at: Date,
    body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    return emitApiCall(this.#context, 'acm', { eventSource: EVENT_SOURCE, eventName, region, at, ...body });
  }
}
