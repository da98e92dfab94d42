import { SimulatedAccount } from '@tidemark/simulation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_REGION } from '../src/constants.js';
import { iamGroup } from '../src/resources/iam-group.js';
import { iamRole } from '../src/resources/iam-role.js';
import { iamUser } from '../src/resources/iam-user.js';
import { collect, createCaptureContext } from './support/capture-context.js';

describe('IAM listings past one page (100 items by default)', () => {
  let account: SimulatedAccount;

  beforeAll(async () => {
    account = await SimulatedAccount.start({ scale: { iamRoles: 150, iamUsers: 120 } });
  });

  afterAll(() => account.stop());

  it('lists every role across ListRoles pages', async () => {
    // Arrange
    account.resetCallCounts();

    // Act
    const listed = await collect(iamRole.list(createCaptureContext(), GLOBAL_REGION));

    // Assert
    expect(listed).toHaveLength(156);
    expect(listed.map((role) => role.id)).toContain('app-role-0150');
    expect(account.callCounts().ListRoles).toBe(2);
  });

  it('lists every user across ListUsers pages', async () => {
    // Arrange
    account.resetCallCounts();

    // Act
    const listed = await collect(iamUser.list(createCaptureContext(), GLOBAL_REGION));

    // Assert
    expect(listed).toHaveLength(123);
    expect(account.callCounts().ListUsers).toBe(2);
  });

  it("collects a group's members across GetGroup pages", async () => {
    // Arrange
    account.resetCallCounts();

    // Act
    const described = await iamGroup.describe(createCaptureContext(), 'developers', GLOBAL_REGION);

    // Assert
    if (described.status !== 'found') throw new Error(`developers was ${described.status}`);
    const members = iamGroup.normalise(described.raw).Members as string[];
    expect(members).toHaveLength(121);
    expect(members.slice(0, 3)).toEqual(['bob', 'user-0001', 'user-0002']);
    expect(account.callCounts().GetGroup).toBe(2);
  });

  it('captures a generated user with console access and one with an access key', async () => {
    // Act
    const withConsole = await iamUser.describe(createCaptureContext(), 'user-0002', GLOBAL_REGION);
    const withKey = await iamUser.describe(createCaptureContext(), 'user-0003', GLOBAL_REGION);

    // Assert
    expect(withConsole).toMatchObject({
      status: 'found',
      raw: { User: { Path: '/staff/' }, LoginProfile: { PasswordResetRequired: true }, AccessKeys: [] },
    });
    expect(withKey).toMatchObject({
      status: 'found',
      raw: {
        LoginProfile: null,
        AccessKeys: [{ Status: 'Active', LastUsed: { ServiceName: 'N/A', Region: 'N/A' } }],
      },
    });
  });
});
