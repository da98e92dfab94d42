/** `@tidemark/core/alerts`: alert rules, their evaluation on every capture, the alerts stored and delivered. */
export { AlertLog, dedupKey, type StoredAlert } from './alert-log.js';
export { changeFact, type VersionChange, versionChange } from './change-fact.js';
export { insideWindow } from './change-window.js';
export { defaultRules } from './defaults.js';
export * from './destinations/index.js';
export { candidateRules, evaluateChange, type Firing } from './evaluate.js';
export {
  AlertEvaluator,
  type AlertEvaluatorOptions,
  type AlertsReport,
  type CaptureObserver,
} from './evaluator.js';
export {
  parseRules,
  type RuleSet,
  type RulesContext,
  rulesFileSchema,
  STDOUT_DESTINATION,
  shippedRules,
} from './load-rules.js';
export {
  type AlertRule,
  type ChangeFact,
  type ChangeHead,
  firingChanges,
  headMatches,
  isMuted,
  pathCovers,
} from './match.js';
export { NAMED_PREDICATES, type PredicateName } from './predicates.js';
export { replayAlerts } from './replay.js';
export type { ChangeWindow, FieldCondition, RuleSettings, RuleSpec } from './rules.js';
export { loadRules, RULES_FILE_NAME, type RulesLocation, StoredRules } from './rules-source.js';
export { type Alert, type DeliveryOutcome, SEVERITIES, type Severity } from './types.js';
export { alertOf, versionAlerts } from './version-alerts.js';
