import type { ServiceProfile } from '../dispatch.js';
import type { SimulatedServiceModule, SimulationContext, SiteEdge } from '../service-simulator.js';
import type { SimulatedEvent, SimulatedScale } from '../types.js';
import { cloudFrontProfile } from './api.js';
import { CloudFrontState, type SimDistribution } from './model.js';
import { seedCloudFront } from './seed.js';
import { emitCloudFrontCall, taggingTrail, trailTime, updateDistributionTrail } from './trail.js';
import { cloudFrontWriteOperations } from './write-api.js';

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
  readonly invalid: (
    change: DistributionChange,
    distribution: SimDistribution,
    others: Set<string>,
  ) => boolean;
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
    invalid: ({ addAliases = [] }, _distribution, others) => addAliases.some((alias) => others.has(alias)),
    message: ({ addAliases = [] }) =>
      `addAliases must not name an alias another distribution uses (CNAMEAlreadyExists), received ${addAliases.join(', ')}`,
  },
];

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
    this.profiles = [
      cloudFrontProfile(this.#state, context, cloudFrontWriteOperations(this.#state, context)),
    ];
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
    const others = this.#state.aliasesElsewhere(id);
    const broken = CHANGE_RULES.find((rule) => rule.invalid(change, distribution, others));
    if (broken) throw new RangeError(broken.message(change, distribution));

    const aliases = [...(distribution.config.Aliases?.Items ?? []), ...(change.addAliases ?? [])].filter(
      (alias) => !change.removeAliases?.includes(alias),
    );
    const ifMatch = distribution.etag;
    const config = {
      ...distribution.config,
      Aliases: aliases.length > 0 ? { Quantity: aliases.length, Items: aliases } : { Quantity: 0 },
      ...(change.defaultRootObject === undefined ? {} : { DefaultRootObject: change.defaultRootObject }),
      ...(change.comment === undefined ? {} : { Comment: change.comment }),
      ...(change.enabled === undefined ? {} : { Enabled: change.enabled }),
    };
    this.#state.reconfigure(distribution, config, this.#context.now());
    return emitCloudFrontCall(
      this.#context,
      'UpdateDistribution',
      updateDistributionTrail(this.#state, distribution, ifMatch),
    );
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
    return emitCloudFrontCall(this.#context, 'CreateInvalidation', {
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
    const added = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    this.#state.tag(distribution, added);
    return emitCloudFrontCall(
      this.#context,
      'TagResource',
      taggingTrail(this.#context.now(), distribution.arn, { tags: added }),
    );
  }

  /**
   * Deletes a distribution. CloudFront first requires it disabled and deployed; the simulation leaves that wait out
   * and records the `DeleteDistribution` alone.
   */
  deleteDistribution(id: string): SimulatedEvent[] {
    const distribution = this.#state.distribution(id);
    this.#state.distributions.delete(id);
    return emitCloudFrontCall(this.#context, 'DeleteDistribution', {
      at: this.#context.now(),
      requestParameters: { id, ifMatch: distribution.etag },
      responseElements: null,
    });
  }
}
