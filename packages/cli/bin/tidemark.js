#!/usr/bin/env node
// The `tidemark` command: the bundle `npm run build` writes to dist/. This file is committed, so that `npm ci`,
// which links commands before its `prepare` step builds, finds it and links `npx tidemark`.
import '../dist/tidemark.js';
