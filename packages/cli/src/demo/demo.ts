#!/usr/bin/env node
// `npm run demo`: the whole Tidemark story against a simulated account, offline.

// The SDK's notice that Node 22 will be required from 2027 is not part of the story.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { runDemo } = await import('./run-demo.js');
process.exitCode = await runDemo();
