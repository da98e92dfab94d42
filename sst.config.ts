import type { SSTConfig } from 'sst';
import { Store } from './stacks/Store.js';

/** Tidemark's deployment: `npx sst deploy --stage prod`. */
export default {
  config() {
    return { name: 'tidemark', region: process.env.AWS_REGION ?? 'us-east-1' };
  },
  stacks(app) {
    app.setDefaultFunctionProps({ runtime: 'nodejs20.x', architecture: 'arm_64' });
    app.stack(Store);
  },
} satisfies SSTConfig;
