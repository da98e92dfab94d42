import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActions, uncoveredActions } from '../src/deploy/index.js';
import { registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';
import { SimulatedAccount } from '../src/simulation/index.js';
import type { ListedResource } from '../src/types/resource.js';
import { collect, createCaptureContext } from './support/capture-context.js';

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

describe('declared permissions against the calls definitions make', () => {
  const REGION = 'us-east-1';
  let account: SimulatedAccount;

  beforeAll(async () => {
    account = await SimulatedAccount.start({ region: REGION });
  });

  afterAll(() => account.stop());

  /** What a definition enumerates: its own listing, or its parent's listing of it under every parent. */
  async function listingOf(
    definition: ResourceDefinition,
    ctx = createCaptureContext(),
  ): Promise<ListedResource[]> {
    const parent = registry.find((candidate) => candidate.children?.type === definition.type);
    if (!parent?.children) return collect(definition.list(ctx, REGION));
    const parents = await collect(parent.list(ctx, REGION));
    account.resetCallCounts();
    const children = await Promise.all(
      parents.map((listed) => collect(parent.children!.list(ctx, listed.id, listed.region ?? REGION))),
    );
    return children.flat();
  }

  it.each(registry.map((definition) => [definition.type, definition] as const))(
    '%s declares every action its listing and describe call',
    async (_type, definition) => {
      // Arrange
      const ctx = createCaptureContext();
      account.resetCallCounts();

      // Act
      const listed = await listingOf(definition, ctx);
      for (const resource of listed) await definition.describe(ctx, resource.id, resource.region ?? REGION);

      // Assert
      expect(listed.length).toBeGreaterThan(0);
      expect(account.actionsCalled().size).toBeGreaterThan(1);
      expect(uncoveredActions(account.actionsCalled(), definition.permissions)).toEqual([]);
    },
  );
});
