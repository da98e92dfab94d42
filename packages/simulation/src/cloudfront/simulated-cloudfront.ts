import type { ServiceProfile } from '../dispatch.js';
import type { SimulatedServiceModule, SimulationContext, SiteEdge } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { cloudFrontProfile } from './api.js';
import { CloudFrontState, type SimDistribution } from './model.js';
import { seedCloudFront } from './seed.js';
import { trailConfig, trailDistribution, trailTime } from './trail.js';
import { distributionView } from './views.js';

/** What {@link SimulatedCloudFront.updateDistribution} may change in a distribution's configuration. */
export interface DistributionChange {
  /** The object served for `/`; an empty string removes it. */
  readonly defaultRootObject?: string;
  /** Alternate domain names to add: none may be in use by another distribution. */
  readonly addAliases?: readonly string[];
  /** Alternate domain names to remove: each must be one of the distribution's. */
  readonly removeAliases?: readonly string[];
  readonly comment?: string;
  readonly enabled?: boolean;
}

/** Rules a configuration change must follow, as CloudFront validates them. */
const CHANGE_RULES: ReadonlyArray<{
  readonly invalid: (change: DistributionChange, distribution: SimDistribution, others: string[]) => boolean;
  readonly message: (change: DistributionChange, distribution: SimDistribution) => string;
}> = [
  {
    invalid: ({ defaultRootObject }) => defaultRootObject?.startsWith('/') === true,
    message: ({ defaultRootObject }) =>
      `defaultRootObject must not begin with a slash, received ${defaultRootObject}`,
  },
  {
    invalid: ({ removeAliases = [] }, distribution) =>
      removeAliases.some((alias) => !distribution.config.Aliases?.Items?.includes(alias)),
    message: ({ removeAliases = [] }, distribution) =>
      `removeAliases must name aliases of ${distribution.id} (${(distribution.config.Aliases?.Items ?? []).join(', ')}), received ${removeAliases.join(', ')}`,
  },
  {
    invalid: ({ addAliases = [] }, _distribution, others) =>
      addAliases.some((alias) => others.includes(alias)),
    message: ({ addAliases = [] }) =>
      `addAliases must not name an alias another distribution uses (CNAMEAlreadyExists), received ${addAliases.join(', ')}`,
  },
];

const EVENT_SOURCE = 'cloudfront.amazonaws.com';

/**
 * CloudFront in the simulated account: its API (see {@link cloudFrontProfile}), seeded with the sites'
 * distributions and what they use, and the changes a console user makes, each returning the CloudTrail events
 * AWS records for it (in us-east-1, names with the `2020_05_31` API version).
 */
export class SimulatedCloudFront implements SimulatedServiceModule {
  readonly profiles: readonly ServiceProfile[];
  readonly #state: CloudFrontState;
  readonly #context: SimulationContext;

  constructor(context: SimulationContext, scale: SimulatedScale) {
    this.#context = context;
    this.#state = new CloudFrontState(context.model.accountId, context.model.random);
    seedCloudFront(this.#state, context.model, scale.distributions ?? 0);
    this.profiles = [cloudFrontProfile(this.#state, context)];
  }

  /** The id of the distribution serving an alternate domain name (`sailjada.com`, `www.sailjada.com`). */
  distributionId(alias: string): string {
    const distribution = [...this.#state.distributions.values()].find((item) =>
      item.config.Aliases?.Items?.includes(alias),
    );
    if (!distribution) throw new Error(`no CloudFront distribution serves ${alias} in the simulated account`);
    return distribution.id;
  }

  /** The distribution serving a website: its ARN and domain name, and the certificate it presents. */
  edge(domain: string): Pick<SiteEdge, 'distributionArn' | 'distributionDomain' | 'certificateArn'> {
    const distribution = this.#state.distributions.get(this.distributionId(domain));
    const certificateArn = distribution?.config.ViewerCertificate?.ACMCertificateArn;
    if (!distribution || !certificateArn)
      throw new Error(`the distribution of ${domain} presents no certificate`);
    return { distributionArn: distribution.arn, distributionDomain: distribution.domainName, certificateArn };
  }

  /** The ids of every distribution, sorted. */
  distributionIds(): string[] {
    return [...this.#state.distributions.keys()].sort();
  }

  /** Changes a distribution's configuration: a new ETag and `LastModifiedTime`, `InProgress` for a few minutes. */
  updateDistribution(id: string, change: DistributionChange): SimulatedEvent[] {
    const distribution = this.#state.distribution(id);
    const others = [...this.#state.distributions.values()]
      .filter((item) => item.id !== id)
      .flatMap((item) => item.config.Aliases?.Items ?? []);
    const broken = CHANGE_RULES.find((rule) => rule.invalid(change, distribution, others));
    if (broken) throw new RangeError(broken.message(change, distribution));

    const aliases = [...(distribution.config.Aliases?.Items ?? []), ...(change.addAliases ?? [])].filter(
      (alias) => !change.removeAliases?.includes(alias),
    );
    const ifMatch = distribution.etag;
    distribution.config = {
      ...distribution.config,
      Aliases: aliases.length > 0 ? { Quantity: aliases.length, Items: aliases } : { Quantity: 0 },
      ...(change.defaultRootObject === undefined ? {} : { DefaultRootObject: change.defaultRootObject }),
      ...(change.comment === undefined ? {} : { Comment: change.comment }),
      ...(change.enabled === undefined ? {} : { Enabled: change.enabled }),
    };
    distribution.etag = this.#state.newId();
    distribution.lastModified = this.#context.now();
    return this.#emit('UpdateDistribution2020_05_31', {
      at: distribution.lastModified,
      requestParameters: { id, ifMatch, distributionConfig: trailConfig(distribution.config) },
      responseElements: {
        distribution: trailDistribution(
          distributionView(this.#state, distribution, distribution.lastModified),
        ),
        eTag: distribution.etag,
      },
    });
  }

  /** Purges paths (`/index.html`, `/images/*`) from the edge caches; the configuration does not change. */
  createInvalidation(id: string, paths: readonly string[]): SimulatedEvent[] {
    const distribution = this.#state.distribution(id);
    if (paths.length === 0 || paths.some((path) => !path.startsWith('/'))) {
      throw new RangeError(
        `paths must be one or more paths starting with a slash, received ${paths.join(', ')}`,
      );
    }
    const invalidation = {
      id: this.#state.newId('I'),
      callerReference: this.#state.random.uuid(),
      paths: [...paths],
      createTime: this.#context.now(),
    };
    distribution.invalidations.push(invalidation);
    const batch = {
      paths: { quantity: paths.length, items: [...paths] },
      callerReference: invalidation.callerReference,
    };
    return this.#emit('CreateInvalidation2020_05_31', {
      at: invalidation.createTime,
      requestParameters: { distributionId: id, invalidationBatch: batch },
      responseElements: {
        location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}/invalidation/${invalidation.id}`,
        invalidation: {
          id: invalidation.id,
          status: 'InProgress',
          createTime: trailTime(invalidation.createTime),
          invalidationBatch: batch,
        },
      },
    });
  }

  /** Adds or replaces tags; `LastModifiedTime` and the ETag do not move, as in CloudFront. */
  tagDistribution(id: string, tags: Readonly<Record<string, string>>): SimulatedEvent[] {
    const distribution = this.#state.distribution(id);
    const kept = distribution.tags.filter((tag) => tag.Key === undefined || !(tag.Key in tags));
    distribution.tags = [...kept, ...Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))];
    return this.#emit('TagResource2020_05_31', {
      at: this.#context.now(),
      requestParameters: {
        resource: distribution.arn,
        tags: { items: Object.entries(tags).map(([key, value]) => ({ key, value })) },
      },
      responseElements: null,
    });
  }

  /**
   * Deletes a distribution. CloudFront first requires it disabled and deployed; the simulation leaves that wait out
   * and records the `DeleteDistribution` alone.
   */
  deleteDistribution(id: string): SimulatedEvent[] {
    const distribution = this.#state.distribution(id);
    this.#state.distributions.delete(id);
    return this.#emit('DeleteDistribution2020_05_31', {
      at: this.#context.now(),
      requestParameters: { id, ifMatch: distribution.etag },
      responseElements: null,
    });
  }

  #emit(
    eventName: string,
    body: {
      readonly at: Date;
      readonly requestParameters: Record<string, unknown>;
      readonly responseElements: Record<string, unknown> | null;
    },
  ): SimulatedEvent[] {
    const context = this.#context;
    const event = context.events.apiCall({
      eventSource: EVENT_SOURCE,
      eventName,
      region: 'us-east-1',
      ...body,
    });
    return context.emit([event]);
  }
}
