import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** With TIDEMARK_TEST_REPORT set (as `.ci/run` does), results are also written there as JSON. */
const report = process.env.TIDEMARK_TEST_REPORT;

/**
 * Workspace packages are imported from their sources (the `source` export condition), never from a build that
 * may be stale; tests of the built product (the bin, the packed tarball) run `dist/` on purpose. The rest are
 * vitest's own defaults: Vite's server conditions without `module`, which would pick the AWS SDK's `dist-es`.
 */
const conditions = ['source', ...defaultServerConditions.filter((condition) => condition !== 'module')];

/**
 * The caller's AWS and Tidemark settings never reach a test: users run `npm test` with `AWS_REGION`,
 * `AWS_PROFILE` or `TIDEMARK_STORE` of their own. Every test runs instead under settings that would break it if
 * it (or the code under test) fell back on the environment where it should not: another region, a profile that
 * does not exist, an endpoint where nothing answers, a store and key file that cannot be used.
 */
for (const name of Object.keys(process.env))
  if (/^(AWS|TIDEMARK)_/.test(name) && name !== 'TIDEMARK_TEST_REPORT') delete process.env[name];
const HOSTILE_ENVIRONMENT = {
  AWS_REGION: 'ap-southeast-4',
  AWS_PROFILE: 'tidemark-test-no-such-profile',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  TIDEMARK_STORE: '/nonexistent/tidemark-test-store',
  TIDEMARK_KEY_FILE: '/nonexistent/tidemark-test-secret.key',
};

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'stacks/test/**/*.test.ts'],
    env: { ...HOSTILE_ENVIRONMENT, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    ...(report ? { reporters: ['default', 'json'], outputFile: { json: report } } : {}),
  },
});
