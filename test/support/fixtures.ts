import { SimulatedAccount } from '@tidemark/simulation';
import { afterEach, beforeEach } from 'vitest';
import { CliHarness } from './cli.js';
import { overrideEnvironment } from './environment.js';

/** A fresh `tidemark` harness (store and key in a temporary folder) for each test. */
export function withCli(): { cli: CliHarness } {
  const context = {} as { cli: CliHarness };
  beforeEach(async () => {
    context.cli = await CliHarness.create();
  });
  afterEach(() => context.cli.dispose());
  return context;
}

/** A simulated account started with the environment of one of its users, and how to stop both. */
export interface SimulatedUser {
  readonly account: SimulatedAccount;
  /** Stops the account and puts the environment back as it was. */
  stop(): Promise<void>;
}

/**
 * Starts a simulated account in the environment of a user of it: its region, and keys in the environment rather
 * than a named profile (the suite's `AWS_PROFILE` names none that exists).
 */
export async function startSimulatedUser(): Promise<SimulatedUser> {
  const account = await SimulatedAccount.start();
  const restore = overrideEnvironment({ AWS_REGION: account.region, AWS_PROFILE: undefined });
  return {
    account,
    stop: async () => {
      restore();
      await account.stop();
    },
  };
}

/** A fresh simulated account (see {@link startSimulatedUser}) and `tidemark` harness for each test. */
export function withSimulatedAccount(): { cli: CliHarness; account: SimulatedAccount } {
  const context = withCli() as { cli: CliHarness; account: SimulatedAccount };
  let user: SimulatedUser | undefined;
  beforeEach(async () => {
    user = await startSimulatedUser();
    context.account = user.account;
  });
  afterEach(() => user?.stop());
  return context;
}
