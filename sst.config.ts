import type { SSTConfig } from 'sst';
import { Alerts } from './stacks/Alerts.js';
import { Capture } from './stacks/Capture.js';
import { configure, resolveConfig, type TidemarkSettings } from './stacks/config.js';
import { Forward } from './stacks/Forward.js';
import { Pipeline } from './stacks/Pipeline.js';
import { Store } from './stacks/Store.js';

/**
 * What this deployment captures. Every field is optional; `stacks/config.ts` documents each one with its default:
 * `regions` (default: the home region), `services` (default: every service Tidemark knows), `objectBuckets`
 * (buckets whose objects are tracked, `*` for all), `retentionDays` (90), `blobTransitionDays` (30),
 * `schedule` of the full baseline (`rate(7 days)`), `consumerTimeoutSeconds` (120), `maxReceiveCount` (5),
 * `alerts`: `email` (an address subscribed to the alerts topic; none by default) and `sesFrom` (an SES identity,
 * address or domain, the consumer may send alert email from; none by default, so no SES permission).
 */
const settings: TidemarkSettings = {
  homeRegion: 'us-east-1',
  objectBuckets: ['*'],
  schedule: 'rate(7 days)',
  // alerts: { email: 'ops@example.com' },
};

/**
 * Tidemark's deployment: `npx sst deploy --stage prod` in the home region, then once more with
 * `--region <region>` for each region whose events are forwarded home (us-east-1 for global services when home
 * is elsewhere, and every other captured region).
 */
export default {
  config() {
    return { name: 'tidemark', region: resolveConfig(settings).homeRegion };
  },
  stacks(app) {
    const config = configure(app, settings);
    if (app.region !== config.homeRegion) {
      app.stack(Forward);
      return;
    }
    app.stack(Store);
    app.stack(Capture);
    app.stack(Alerts);
    app.stack(Pipeline);
  },
} satisfies SSTConfig;
