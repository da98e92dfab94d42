/** `@tidemark/core/query`: what the store answers (state at a time, history, diff) and how times are read. */
export { type FieldChange, fieldChanges, redactSealed, SEALED_PLACEHOLDER } from './changes.js';
export {
  type CapturedChange,
  type ChangeFilter,
  type ChangeKind,
  changeFields,
  changesBetween,
} from './changes-between.js';
export { diffWithLive, LIVE_VERSION, type LiveDiff, type LiveSide } from './live-diff.js';
export {
  diffStates,
  type HistoryEntry,
  history,
  resolveResource,
  type StateDiff,
  type StateEntry,
  showResource,
  stateAt,
} from './queries.js';
export { LIVE_MOMENT, parseAge, resolveTime } from './time.js';
