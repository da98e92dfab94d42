import type { HealthCheckConfig, VPC } from '@aws-sdk/client-route-53';
import type { ServiceProfile } from '../dispatch.js';
import { type ApiCallSpec, lowerCamelCase } from '../events.js';
import type { SimulatedServiceModule, SimulationContext, SiteEdge } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { healthCheckOf, hostedZoneOf, route53Profile } from './api.js';
import {
  applyChange,
  isApexDefault,
  type RecordChange,
  Route53ChangeError,
  Route53State,
  type SimHealthCheck,
} from './model.js';
import { RequestRateWindow, ROUTE53_REQUESTS_PER_SECOND, TIMER_ALLOWANCE_MS } from './rate.js';
import { privateZone, publicZone, seedRoute53 } from './seed.js';
import { changeBatchTrail, emitRoute53Call, locationOf, trailChangeInfo } from './trail.js';
import { route53WriteOperations } from './write-api.js';

/** Options of {@link SimulatedRoute53.createHostedZone}. */
export interface HostedZoneOptions {
  readonly comment?: string;
  /** Makes the zone private, associated with this VPC. @default a public zone */
  readonly vpc?: VPC;
}

/** Endpoint health check types: Route 53 fills in their interval, threshold and flags when not given. */
const ENDPOINT_TYPES = new Set(['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP']);

/**
 * Route 53 in the simulated account: the business's three public zones (records for CloudFront, mail, SES and ACM,
 * the booking API's failover and weighted records), its API health check, query logging and DNSSEC on one zone
 * each, and `scale.hostedZones` generated zones. Changes made through the methods below apply as Route 53 applies
 * them and return the CloudTrail events AWS records for them (in `us-east-1`, as for every global service).
 *
 * @example
 * const events = account.route53.changeRecord('sailjada.com', {
 *   action: 'UPSERT',
 *   record: { Name: 'www.sailjada.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"hello"' }] },
 * });
 */
export class SimulatedRoute53 implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  /**
   * Route 53's quota of five requests per second per account, over a sliding window (see `TIMER_ALLOWANCE_MS`):
   * calls over it answer `Throttling` and are counted in `requestRate.throttled`. Off by default, because tests
   * describe resources without a rate limiter and the dispatcher retries without waiting; set
   * `requestRate.enabled = true` to measure a capture against the real quota (benchmarks do).
   */
  readonly requestRate = new RequestRateWindow(ROUTE53_REQUESTS_PER_SECOND, 1000 - TIMER_ALLOWANCE_MS);
  readonly #state = new Route53State();
  readonly #context: SimulationContext;

  /** `edges` gives each website's distribution domain and certificate validation records (CloudFront's, ACM's). */
  constructor(
    context: SimulationContext,
    scale: SimulatedScale,
    edges?: (domain: string) => Pick<SiteEdge, 'distributionDomain' | 'validationRecords'>,
  ) {
    this.#context = context;
    seedRoute53(this.#state, context.model, scale.hostedZones ?? 0, edges);
    this.profiles = [
      route53Profile(
        this.#state,
        context.model,
        this.requestRate,
        route53WriteOperations(this.#state, context, this.requestRate),
      ),
    ];
  }

  /** The bare id (`Z0…`) of the zone named `domain`, with or without its trailing dot. */
  hostedZoneId(domain: string): string {
    return this.#state.zone(domain).id;
  }

  /** Creates a hosted zone (private when `options.vpc` is given) with its SOA and NS records. */
  createHostedZone(name: string, options: HostedZoneOptions = {}): SimulatedEvent[] {
    const { random } = this.#context.model;
    const zone = options.vpc
      ? privateZone(random, name, options.comment, options.vpc)
      : publicZone(random, name, options.comment, []);
    this.#state.zones.set(zone.id, zone);
    const at = this.#context.now();
    return this.#emit('CreateHostedZone', at, {
      requestParameters: {
        name,
        hostedZoneConfig: { ...optionalComment(options.comment), privateZone: options.vpc !== undefined },
        callerReference: zone.callerReference,
        ...(options.vpc ? { vPC: lowerCamelCase(options.vpc) } : {}),
      },
      responseElements: {
        hostedZone: lowerCamelCase(hostedZoneOf(zone)),
        changeInfo: trailChangeInfo(this.#state.submitChange(random, at)),
        ...(options.vpc
          ? { vPC: lowerCamelCase(options.vpc) }
          : { delegationSet: { nameServers: [...zone.nameServers] } }),
        location: locationOf('hostedzone', zone.id),
      },
    });
  }

  /**
   * Applies one record change to a zone (by id or domain name) as `ChangeResourceRecordSets` does; throws
   * {@link Route53ChangeError} `InvalidChangeBatch` when Route 53 would refuse it (CREATE of an existing record,
   * DELETE of a missing or different one, a name outside the zone).
   */
  changeRecord(zone: string, change: RecordChange, comment?: string): SimulatedEvent[] {
    const target = this.#state.zone(zone);
    applyChange(target, change);
    const at = this.#context.now();
    const submitted = this.#state.submitChange(this.#context.model.random, at, comment);
    return this.#emit('ChangeResourceRecordSets', at, changeBatchTrail(target.id, [change], submitted));
  }

  /**
   * Deletes a zone (by id or domain name) with its query logging configurations; throws
   * {@link Route53ChangeError} `HostedZoneNotEmpty` while it holds records besides its apex SOA and NS, as AWS does.
   */
  deleteHostedZone(zone: string): SimulatedEvent[] {
    const target = this.#state.zone(zone);
    if (![...target.records.values()].every((record) => isApexDefault(target, record))) {
      throw new Route53ChangeError(
        'HostedZoneNotEmpty',
        `The hosted zone ${target.id} contains resource record sets in addition to the default NS and SOA resource record sets`,
      );
    }
    this.#state.zones.delete(target.id);
    const configs = this.#state.queryLoggingConfigs;
    configs.splice(0, configs.length, ...configs.filter((config) => config.hostedZoneId !== target.id));
    const at = this.#context.now();
    return this.#emit('DeleteHostedZone', at, {
      requestParameters: { id: target.id },
      responseElements: {
        changeInfo: trailChangeInfo(this.#state.submitChange(this.#context.model.random, at)),
      },
    });
  }

  /** Creates a health check; Route 53's defaults fill what an endpoint check leaves out (interval 30, threshold 3). */
  createHealthCheck(config: HealthCheckConfig): SimulatedEvent[] {
    const { random } = this.#context.model;
    const check: SimHealthCheck = {
      id: random.uuid(),
      callerReference: random.uuid(),
      config: withDefaults(config),
      version: 1,
      tags: [],
    };
    this.#state.healthChecks.set(check.id, check);
    return this.#emit('CreateHealthCheck', this.#context.now(), {
      requestParameters: {
        callerReference: check.callerReference,
        healthCheckConfig: lowerCamelCase(config),
      },
      responseElements: {
        healthCheck: lowerCamelCase(healthCheckOf(check)),
        location: locationOf('healthcheck', check.id),
      },
    });
  }

  /** Deletes a health check (Route 53 allows it even while records refer to it). */
  deleteHealthCheck(id: string): SimulatedEvent[] {
    this.#state.healthCheck(id);
    this.#state.healthChecks.delete(id);
    return this.#emit('DeleteHealthCheck', this.#context.now(), {
      requestParameters: { healthCheckId: id },
      responseElements: null,
    });
  }

  #emit(
    eventName: string,
    at: Date,
    body: Pick<ApiCallSpec, 'requestParameters' | 'responseElements'>,
  ): SimulatedEvent[] {
    return emitRoute53Call(this.#context, eventName, at, body);
  }
}

function optionalComment(comment: string | undefined): { comment?: string } {
  return comment === undefined ? {} : { comment };
}

/** A health check configuration as Route 53 stores it: an endpoint check's unset settings at their defaults. */
function withDefaults(config: HealthCheckConfig): HealthCheckConfig {
  if (!ENDPOINT_TYPES.has(config.Type ?? '')) return structuredClone(config);
  const secure = config.Type?.startsWith('HTTPS') === true;
  return {
    ...(config.Type === 'TCP' ? {} : { Port: secure ? 443 : 80 }),
    RequestInterval: 30,
    FailureThreshold: 3,
    MeasureLatency: false,
    Inverted: false,
    Disabled: false,
    ...(secure ? { EnableSNI: true } : {}),
    ...structuredClone(config),
  };
}
