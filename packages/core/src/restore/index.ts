/** `@tidemark/core/restore`: point-in-time restore, planned first, then applied. */
export {
  type ApplyOptions,
  applyRestore,
  newRestoreId,
  type ResourceOutcome,
  type ResourceStatus,
  type RestoreReport,
  restoreUserAgent,
  type StepOutcome,
} from './apply.js';
export type { RestoreCopy } from './copy.js';
export { planRestore, type ResourcePlan, type RestorePlan, type RestorePlanOptions } from './plan.js';
export { RestoreAction, type RestoreStep } from './types.js';
