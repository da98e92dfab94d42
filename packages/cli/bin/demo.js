#!/usr/bin/env node
// `npm run demo`: the whole Tidemark story against a simulated account, offline.
import { register } from 'tsx/esm/api';

register();
const { runDemo } = await import('../src/demo/run-demo.ts');
process.exitCode = await runDemo();
