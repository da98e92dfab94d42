import { describe, expect, it } from 'vitest';
import { readActions, uncoveredActions } from '../src/deploy/index.js';
import { registry } from '../src/resources/registry.js';

describe('readActions', () => {
  it("is every definition's declared permission, once, sorted", () => {
    const actions = readActions(registry);

    expect(actions).toEqual([...new Set(registry.flatMap((d) => d.permissions))].sort());
    expect(actions).toContain('lambda:GetFunction');
    expect(actions).toContain('s3:GetBucketPolicy');
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('uncoveredActions', () => {
  it('reports the actions no pattern allows, matching like IAM', () => {
    const allowed = ['s3:Get*', 'LAMBDA:listfunctions', 'sqs:?endMessage'];

    const uncovered = uncoveredActions(
      [
        's3:GetObject',
        'lambda:ListFunctions',
        'sqs:SendMessage',
        'lambda:GetPolicy',
        's3:PutObject',
        's3:GetObject',
      ],
      allowed,
    );

    expect(uncovered).toEqual(['lambda:GetPolicy', 's3:PutObject']);
    expect(uncoveredActions(['s3:GetObject'], ['s3:Get.bject'])).toEqual(['s3:GetObject']);
  });
});
