import { defineConfig } from 'vitest/config';

/** With TIDEMARK_TEST_REPORT set (as `.ci/run` does), results are also written there as JSON. */
const report = process.env.TIDEMARK_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'stacks/test/**/*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    ...(report ? { reporters: ['default', 'json'], outputFile: { json: report } } : {}),
  },
});
