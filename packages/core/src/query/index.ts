/** `@tidemark/core/query`: what the store answers (state at a time, history, diff) and how times are read. */
export { type FieldChange, fieldChanges, redactSealed, SEALED_PLACEHOLDER } from './changes.js';
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
export { parseAge, resolveTime } from './time.js';
