import {
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { type CallContext, defineOperation, type Operation } from '../dispatch.js';
import type { AccountModel } from '../model.js';
import { ruleCallTarget, taggedTarget } from './api.js';
import type { EventBridgeWrites, WriteCall } from './writes.js';

/**
 * The EventBridge calls that change the simulated account, each answered through {@link EventBridgeWrites} in the
 * caller's region, with the caller's user agent in its CloudTrail record: `PutRule`, `PutTargets`,
 * `RemoveTargets`, `DeleteRule`, and `TagResource` / `UntagResource` of rules and buses.
 */
export function eventBridgeWriteOperations(model: AccountModel, writes: EventBridgeWrites): Operation[] {
  const from = (call: CallContext): WriteCall => ({ region: call.region, userAgent: call.userAgent });
  return [
    defineOperation(PutRuleCommand, {
      action: 'events:PutRule',
      target: (input, call) => ruleCallTarget(model, input.Name, input.EventBusName, call.region),
      answer: (input, call) => writes.putRule(input, from(call)).answer,
    }),
    defineOperation(PutTargetsCommand, {
      action: 'events:PutTargets',
      target: (input, call) => ruleCallTarget(model, input.Rule, input.EventBusName, call.region),
      answer: (input, call) => writes.putTargets(input, from(call)).answer,
    }),
    defineOperation(RemoveTargetsCommand, {
      action: 'events:RemoveTargets',
      target: (input, call) => ruleCallTarget(model, input.Rule, input.EventBusName, call.region),
      answer: (input, call) => writes.removeTargets(input, from(call)).answer,
    }),
    defineOperation(DeleteRuleCommand, {
      action: 'events:DeleteRule',
      target: (input, call) => ruleCallTarget(model, input.Name, input.EventBusName, call.region),
      answer: (input, call) => {
        writes.deleteRule(input, from(call));
        return {};
      },
    }),
    defineOperation(TagResourceCommand, {
      action: 'events:TagResource',
      target: (input) => taggedTarget(input.ResourceARN),
      answer: (input, call) => {
        writes.tagResource(input.ResourceARN, input.Tags, from(call));
        return {};
      },
    }),
    defineOperation(UntagResourceCommand, {
      action: 'events:UntagResource',
      target: (input) => taggedTarget(input.ResourceARN),
      answer: (input, call) => {
        writes.untagResource(input.ResourceARN, input.TagKeys, from(call));
        return {};
      },
    }),
  ];
}
