import { isDeepStrictEqual } from 'node:util';
import {
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import {
  createdSince,
  fromParts,
  hasEntries,
  keyedDifference,
  type PartPlan,
  type StepOf,
  slices,
  stepsOf,
  tagList,
  tagSteps,
  unread,
  unreadPart,
} from '../restore/parts.js';
import { sendCommand } from '../restore/steps.js';
import {
  type PlanInput,
  type PlannedChange,
  RestoreAction,
  type RestoreContext,
  type RestoreSpec,
  type RestoreStep,
} from '../restore/types.js';
import { isSealed } from '../secrets/sealer.js';
import type { Json, JsonObject } from '../types/json.js';
import { DEFAULT_BUS, ruleParts } from './events-shared.js';
import { eventBridgeService } from './services.js';
import { isJsonObject } from './support.js';

/** What `PutRule` sets, as `DescribeRule` reports it: a rule's settings are replaced all at once. */
const RULE_SETTINGS = ['EventPattern', 'ScheduleExpression', 'State', 'Description', 'RoleArn'] as const;

/** `PutTargets` and `RemoveTargets` take at most ten entries a call. */
const TARGETS_PER_CALL = 10;

const COMMANDS = {
  PutRule: PutRuleCommand,
  PutTargets: PutTargetsCommand,
  RemoveTargets: RemoveTargetsCommand,
  DeleteRule: DeleteRuleCommand,
  TagResource: TagResourceCommand,
  UntagResource: UntagResourceCommand,
} as const;

/**
 * How an EventBridge rule is restored: its pattern or schedule, state, description and role with one `PutRule`
 * (which replaces them all), its targets with `PutTargets` (those that differ) and `RemoveTargets` (those added
 * since), its tags. A deleted rule is put again, then its targets. A target's `Input` is sent as the JSON text it
 * was; a sealed one is unsealed only when sent. With `--prune`, a rule created since loses its targets and is
 * deleted. Rules an AWS service manages are that service's to restore.
 */
export const eventsRuleRestore: RestoreSpec = {
  plan: planRule,
  apply: applyRuleStep,
};

function planRule({ captured, live, target, prune }: PlanInput): PlannedChange {
  const step = stepsOf('events', target.region);
  const { bus, name } = ruleParts(target.id);
  const rule = { Name: name, ...(bus === DEFAULT_BUS ? {} : { EventBusName: bus }) };
  if (!captured)
    return createdSince(live, {
      prune,
      removal: () => [
        ...removeTargetSteps(rule, Object.keys(objectAt(live?.document.Targets)), step).steps,
        step('DeleteRule', rule, 'delete the rule created after the moment restored to'),
      ],
    });
  const settings = objectAt(captured.document.Rule);
  if (typeof settings.ManagedBy === 'string')
    return {
      action: RestoreAction.CANNOT,
      reason: `managed by ${settings.ManagedBy}: that service restores its own rules`,
      steps: [],
    };
  const arn = String(settings.Arn ?? '');
  if (!live)
    return fromParts(RestoreAction.RECREATE, [
      {
        steps: [
          putRuleStep(rule, settings, step, 'create the rule again, with its tags', captured.document.Tags),
        ],
        notes: [],
      },
      targetSteps(rule, captured.document.Targets, undefined, step),
    ]);
  const now = objectAt(live.document.Rule);
  const changed = RULE_SETTINGS.filter((field) => !isDeepStrictEqual(settings[field], now[field]));
  return fromParts(RestoreAction.UPDATE, [
    {
      steps:
        changed.length > 0
          ? [putRuleStep(rule, settings, step, `put back its ${changed.join(', ')} (PutRule sets them all)`)]
          : [],
      notes: [],
    },
    targetSteps(rule, captured.document.Targets, live.document.Targets, step),
    tagSteps(
      { tag: 'TagResource', untag: 'UntagResource', resource: { ResourceARN: arn } },
      captured.document.Tags,
      live.document.Tags,
      step,
    ),
  ]);
}

/** The rule's identity in `PutRule` and `DeleteRule` (`Name`, and `EventBusName` off the default bus). */
type RuleIdentity = { readonly Name: string; readonly EventBusName?: string };

/** `PutRule` with every captured setting (those left out are removed); `tags` only when the rule is created. */
function putRuleStep(
  rule: RuleIdentity,
  settings: JsonObject,
  step: StepOf,
  summary: string,
  tags?: Json,
): RestoreStep {
  const input: JsonObject = { ...rule };
  for (const field of RULE_SETTINGS) {
    const value = settings[field];
    if (value === undefined || value === null) continue;
    input[field] = field === 'EventPattern' && typeof value !== 'string' ? JSON.stringify(value) : value;
  }
  if (hasEntries(tags) && !unread(tags)) input.Tags = tagList(tags);
  return step('PutRule', input, summary);
}

/**
 * Targets that differ put back (`PutTargets`), targets added since removed (`RemoveTargets`), removals first so the
 * rule's limit of five targets never refuses what is put back; at most ten targets a call.
 */
function targetSteps(
  rule: RuleIdentity,
  before: Json | undefined,
  now: Json | undefined,
  step: StepOf,
): PartPlan {
  const note = unreadPart('its targets', before, now);
  if (note) return { steps: [], notes: [note] };
  const { put, added } = keyedDifference(before, now);
  const targets = objectAt(before);
  const removal = removeTargetSteps(rule, added, step);
  const puts = slices(put, TARGETS_PER_CALL).map((ids) =>
    step(
      'PutTargets',
      { Rule: rule.Name, ...busOf(rule), Targets: ids.map((id) => targetInput(objectAt(targets[id]))) },
      `put back the targets ${ids.join(', ')}`,
    ),
  );
  return { steps: [...removal.steps, ...puts], notes: [] };
}

function removeTargetSteps(rule: RuleIdentity, ids: readonly string[], step: StepOf): PartPlan {
  return {
    steps: slices(ids, TARGETS_PER_CALL).map((slice) =>
      step(
        'RemoveTargets',
        { Rule: rule.Name, ...busOf(rule), Ids: slice },
        `remove the targets ${slice.join(', ')}, added since`,
      ),
    ),
    notes: [],
  };
}

/** A stored target as `PutTargets` takes it: its parsed `Input` as JSON text again; a sealed one stays sealed. */
function targetInput(target: JsonObject): JsonObject {
  const { Input } = target;
  if (Input === undefined || isSealed(Input)) return target;
  return { ...target, Input: JSON.stringify(Input) };
}

function busOf(rule: RuleIdentity): JsonObject {
  return rule.EventBusName === undefined ? {} : { EventBusName: rule.EventBusName };
}

function objectAt(value: Json | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}

/**
 * EventBridge refused some entries of a `PutTargets` or `RemoveTargets` it otherwise answered: named by the first
 * entry's error code, so the step is reported as failed with it.
 */
class FailedEntriesError extends Error {
  constructor(entries: ReadonlyArray<{ TargetId?: string; ErrorCode?: string; ErrorMessage?: string }>) {
    const described = entries.map((entry) => `${entry.TargetId}: ${entry.ErrorMessage ?? entry.ErrorCode}`);
    super(`${entries.length} target(s) not changed: ${described.join('; ')}`);
    this.name = entries[0]?.ErrorCode ?? 'FailedEntries';
  }
}

/**
 * Sends one step. A sealed target `Input` is unsealed here and sent as JSON text, like any other; a `PutTargets` or
 * `RemoveTargets` that answers failed entries fails the step.
 */
async function applyRuleStep(ctx: RestoreContext, step: RestoreStep): Promise<void> {
  const Command = COMMANDS[step.operation as keyof typeof COMMANDS];
  if (!Command) throw new Error(`no EventBridge restore step ${step.operation}`);
  const input = step.operation === 'PutTargets' ? await withInputText(ctx, step.input) : step.input;
  const output = (await sendCommand(ctx, eventBridgeService, Command, step, input)) as {
    FailedEntryCount?: number;
    FailedEntries?: Array<{ TargetId?: string; ErrorCode?: string; ErrorMessage?: string }>;
  };
  if ((output.FailedEntryCount ?? 0) > 0) throw new FailedEntriesError(output.FailedEntries ?? []);
}

/** A `PutTargets` input with each target's sealed `Input` unsealed and written as JSON text. */
async function withInputText(ctx: RestoreContext, input: JsonObject): Promise<JsonObject> {
  const targets = Array.isArray(input.Targets) ? input.Targets : [];
  const resolved = await Promise.all(
    targets.map(async (target) => {
      const value = isJsonObject(target) ? target.Input : undefined;
      if (!isJsonObject(target) || !isSealed(value)) return target;
      return { ...target, Input: JSON.stringify(await ctx.resolve(value)) };
    }),
  );
  return { ...input, Targets: resolved };
}
