import type { BaselineReport, StateDiff } from '@tidemark/core';
import { isSealed, LocalKeySealer, loadOrCreateKey, VersionStore } from '@tidemark/core';
import { describe, expect, it } from 'vitest';
import { writeNdjson } from './support/events.js';
import { withSimulatedAccount } from './support/fixtures.js';

const PLANTED = 'sk_live_51SimulatedSecretValue0123456789';
const ROTATED = 'sk_live_51RotatedSecretPlantedByTest000';

describe('secrets in the simulated account', () => {
  const env = withSimulatedAccount();

  it('never appear in plain text in the store or in any output, yet a change is reported and recoverable', async () => {
    await env.cli.json<BaselineReport>('baseline', '--label', 'v1.0');
    const environment = { ...env.account.functionEnvironment('booking-handler'), STRIPE_SECRET_KEY: ROTATED };
    const events = env.account.updateFunctionConfiguration('booking-handler', { environment });
    const file = await writeNdjson(env.cli.folder, 'rotate.ndjson', events);
    await env.cli.run('events', 'map', file);
    await env.cli.run('ingest', file);
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
      await env.cli.run(...args);
    const diff = await env.cli.json<StateDiff>('diff', '--from', 'v1.0');

    const written = [...(await env.cli.storeFiles()).map((f) => f.text), ...env.cli.transcript].join('\n');
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

    const store = await VersionStore.open(env.cli.store);
    const sealer = new LocalKeySealer(await loadOrCreateKey(env.cli.keyFile));
    const latest = store.latest({
      account: env.account.accountId,
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
