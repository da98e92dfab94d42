/** `@tidemark/core/capture`: the capture engine and what runs it (a baseline, an ingest of events). */
export {
  type BaselineOptions,
  type BaselineReport,
  type ManifestSummary,
  runBaseline,
  selectDefinitions,
} from './baseline.js';
export type { CaptureContext, CaptureCounters, ObjectSelection, TableItemSettings } from './context.js';
export { CaptureEngine, type CaptureEngineOptions } from './engine.js';
export {
  type IngestedCapture,
  type IngestInput,
  type IngestOptions,
  type IngestReport,
  ingestChanges,
  ingestEvents,
} from './ingest.js';
export {
  captureLive,
  diffLive,
  type LiveAccount,
  type LiveCapture,
  type LiveDiffOptions,
  type LiveReadOptions,
  type LiveState,
  readLive,
} from './live.js';
export type { CaptureOutcome } from './outcome.js';
export type { CaptureFailure, TypeTally } from './tally.js';
