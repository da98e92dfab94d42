export { type ScheduledBaselineOptions, startScheduledBaseline } from './plan.js';
export { BASELINE_RUNS } from './run-records.js';
export {
  type RunWorkItemOptions,
  runWorkItem,
  SLICE_MAX_RESOURCES,
  SLICE_TIME_MARGIN_MS,
  type WorkItemReport,
} from './slice.js';
export { parseWorkItem, type WorkItem, workItemSchema } from './work-item.js';
