/** `@tidemark/core/watch`: continuous capture from CloudTrail's event history, without a deployment. */
export { checkpointName, readWatchCheckpoint, type WatchCheckpoint } from './checkpoint.js';
export { LOOKUP_EVENTS_RATE, type RequestRate } from './rate-limit.js';
export { type WatchedRegion, watchedRegions } from './regions.js';
export type {
  WatchedCapture,
  WatchedLookupError,
  WatchedPoll,
  WatchProgress,
  WatchSummary,
} from './report.js';
export { WATCH_DEFAULTS, type WatchOptions, watchCloudTrail } from './watch.js';
