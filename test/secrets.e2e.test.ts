import type { BaselineReport, StateDiff } from '@tidemark/core';
import { isSealed, LocalKeySealer, loadOrCreateKey, VersionStore } from '@tidemark/core';
import { SimulatedAccount } from '@tidemark/core/simulation';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliHarness } from './support/cli.js';
import { writeNdjson } from './support/events.js';

const PLANTED = 'sk_live_51SimulatedSecretValue0123456789';
const ROTATED = 'sk_live_51RotatedSecretPlantedByTest000';

describe('secrets in the simulated account', () => {
  let account: SimulatedAccount;
  let cli: CliHarness;

  beforeEach(async () => {
    account = await SimulatedAccount.start();
    cli = await CliHarness.create();
  });
  afterEach(async () => {
    await account.stop();
    await cli.dispose();
  });

  it('never appear in plain text in the store or in any output, yet a change is reported and recoverable', async () => {
    await cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const environment = { ...account.functionEnvironment('booking-handler'), STRIPE_SECRET_KEY: ROTATED };
    const events = account.updateFunctionConfiguration('booking-handler', { environment });
    const file = await writeNdjson(cli.folder, 'rotate.ndjson', events);
    await cli.run('events', 'map', file);
    await cli.run('ingest', file);
    for (const args of [
      ['state'],
      ['show', 'booking-handler'],
      ['show', 'booking-handler', '--json'],
      ['history', 'booking-handler'],
      ['history', 'booking-handler', '--json'],
      ['diff', '--from', 'v1.0'],
      ['baselines'],
      ['verify'],
    ])
      await cli.run(...args);
    const diff = await cli.json<StateDiff>('diff', '--from', 'v1.0');

    const written = [...(await cli.storeFiles()).map((f) => f.text), ...cli.transcript].join('\n');
    expect(written).toContain('STRIPE_SECRET_KEY');
    expect(written).not.toContain(PLANTED);
    expect(written).not.toContain(ROTATED);
    expect(written).not.toContain('X-Amz-Signature');
    const change = diff.changed.find((c) => c.resource.id === 'booking-handler');
    expect(change?.changes).toContainEqual({
      path: 'Configuration.Environment.Variables.STRIPE_SECRET_KEY',
      change: 'changed',
      sealed: true,
    });

    const store = await VersionStore.open(cli.store);
    const sealer = new LocalKeySealer(await loadOrCreateKey(cli.keyFile));
    const latest = store.latest({
      account: account.accountId,
      region: 'us-east-1',
      type: 'AWS::Lambda::Function',
      id: 'booking-handler',
    });
    const document = (await store.readDocument(latest?.record.document as string)) as {
      Configuration: { Environment: { Variables: Record<string, unknown> } };
    };
    store.close();
    const sealed = document.Configuration.Environment.Variables.STRIPE_SECRET_KEY;
    expect(isSealed(sealed) && sealer.unseal(sealed)).toBe(ROTATED);
  });
});
