import { SimulatedAccount } from '@tidemark/core/simulation';
import { afterEach, beforeEach } from 'vitest';
import { CliHarness } from './cli.js';

/** A fresh `tidemark` harness (store and key in a temporary folder) for each test. */
export function withCli(): { cli: CliHarness } {
  const context = {} as { cli: CliHarness };
  beforeEach(async () => {
    context.cli = await CliHarness.create();
  });
  afterEach(() => context.cli.dispose());
  return context;
}

/** A fresh simulated account and `tidemark` harness for each test, stopped and removed after it. */
export function withSimulatedAccount(): { cli: CliHarness; account: SimulatedAccount } {
  const context = withCli() as { cli: CliHarness; account: SimulatedAccount };
  beforeEach(async () => {
    context.account = await SimulatedAccount.start();
  });
  afterEach(() => context.account.stop());
  return context;
}
