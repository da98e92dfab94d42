import {
  CreateEmailIdentityCommand,
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailIdentityPolicyCommand,
  PutEmailIdentityConfigurationSetAttributesCommand,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityFeedbackAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import { type CallContext, type CallTarget, defineOperation, type Operation } from '../dispatch.js';
import type { AccountModel } from '../model.js';
import type { SesWrites, WriteCall } from './writes.js';

/**
 * The SES v2 calls that change email identities and tags in the simulated account, each answered through
 * {@link SesWrites} in the caller's region, with the caller's user agent in its CloudTrail record.
 */
export function sesV2WriteOperations(model: AccountModel, writes: SesWrites): Operation[] {
  const from = (call: CallContext): WriteCall => ({ region: call.region, userAgent: call.userAgent });
  const identity = (input: { EmailIdentity?: string | undefined }, call: CallContext): CallTarget => ({
    ids: [input.EmailIdentity ?? ''],
    arn: `arn:aws:ses:${call.region}:${model.accountId}:identity/${input.EmailIdentity}`,
  });
  const tagged = (input: { ResourceArn?: string | undefined }): CallTarget => ({
    ids: [input.ResourceArn?.split('/').slice(1).join('/') ?? ''],
    ...(input.ResourceArn ? { arn: input.ResourceArn } : {}),
  });
  const done = (write: () => unknown) => {
    write();
    return {};
  };
  return [
    defineOperation(CreateEmailIdentityCommand, {
      action: 'ses:CreateEmailIdentity',
      target: identity,
      answer: (input, call) => writes.createEmailIdentity(input, from(call)),
    }),
    defineOperation(DeleteEmailIdentityCommand, {
      action: 'ses:DeleteEmailIdentity',
      target: identity,
      answer: (input, call) => done(() => writes.deleteEmailIdentity(input, from(call))),
    }),
    defineOperation(PutEmailIdentityFeedbackAttributesCommand, {
      action: 'ses:PutEmailIdentityFeedbackAttributes',
      target: identity,
      answer: (input, call) => done(() => writes.putFeedbackAttributes(input, from(call))),
    }),
    defineOperation(PutEmailIdentityMailFromAttributesCommand, {
      action: 'ses:PutEmailIdentityMailFromAttributes',
      target: identity,
      answer: (input, call) => done(() => writes.putMailFromAttributes(input, from(call))),
    }),
    defineOperation(PutEmailIdentityDkimAttributesCommand, {
      action: 'ses:PutEmailIdentityDkimAttributes',
      target: identity,
      answer: (input, call) => done(() => writes.putDkimAttributes(input, from(call))),
    }),
    defineOperation(PutEmailIdentityConfigurationSetAttributesCommand, {
      action: 'ses:PutEmailIdentityConfigurationSetAttributes',
      target: identity,
      answer: (input, call) => done(() => writes.putConfigurationSetAttributes(input, from(call))),
    }),
    defineOperation(CreateEmailIdentityPolicyCommand, {
      action: 'ses:CreateEmailIdentityPolicy',
      target: identity,
      answer: (input, call) => done(() => writes.putPolicy('Create', input, from(call))),
    }),
    defineOperation(UpdateEmailIdentityPolicyCommand, {
      action: 'ses:UpdateEmailIdentityPolicy',
      target: identity,
      answer: (input, call) => done(() => writes.putPolicy('Update', input, from(call))),
    }),
    defineOperation(DeleteEmailIdentityPolicyCommand, {
      action: 'ses:DeleteEmailIdentityPolicy',
      target: identity,
      answer: (input, call) => done(() => writes.deletePolicy(input, from(call))),
    }),
    defineOperation(TagResourceCommand, {
      action: 'ses:TagResource',
      target: tagged,
      answer: (input, call) => done(() => writes.tagResource(input, from(call))),
    }),
    defineOperation(UntagResourceCommand, {
      action: 'ses:UntagResource',
      target: tagged,
      answer: (input, call) => done(() => writes.untagResource(input, from(call))),
    }),
  ];
}
