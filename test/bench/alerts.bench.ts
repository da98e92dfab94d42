import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AlertEvaluator,
  type AlertRule,
  AwsClients,
  CaptureEngine,
  type ChangeFact,
  candidateRules,
  evaluateChange,
  fieldChanges,
  ingestEvents,
  type JsonObject,
  LocalKeySealer,
  parseRules,
  registry,
  runBaseline,
} from '@tidemark/core';
import { MEDIA_BUCKET } from '@tidemark/simulation';
import { type BenchScenario, median, now, Report, round, withSimulatedRig, withTempDir } from './support.js';

/** Rules evaluated per change: the shipped ones and generated ones of every kind of condition. */
const RULES = 100;
/** Distinct changes evaluated, each several times. */
const CHANGES = 2_000;
const EVALUATION_ROUNDS = 5;
/** Changes per consumer batch (the SQS batch size the Pipeline stack sets) and batches timed of each kind. */
const BATCH_SIZE = 10;
const BATCHES = 12;

/** A rules file of `RULES` rules: the shipped ones, and others on resources, fields, principals and windows. */
function benchRules(webhookUrl: string): AlertRule[] {
  const lines = [
    'destinations:',
    `  team-chat: { type: webhook, url: "${webhookUrl}" }`,
    'settings:',
    '  destinations: [team-chat]',
    'rules:',
  ];
  const shipped = parseRules('', 'shipped').rules.length;
  for (let i = 0; i < RULES - shipped; i++) {
    const shape = i % 5;
    lines.push(`  - name: generated-${i}`, '    severity: low', '    match:');
    if (shape === 0) lines.push(`      resources: ["AWS::Lambda::Function:service-${i}-*"]`);
    if (shape === 1)
      lines.push(`      fields: [{ path: "Configuration.Environment.Variables.FLAG_${i}", to: ["on"] }]`);
    if (shape === 2) lines.push(`      principals: { deny: ["arn:aws:iam::*:user/contractor-${i}"] }`);
    if (shape === 3)
      lines.push(
        '      resources: ["AWS::S3::Bucket:*"]',
        `      fields: [{ path: "Tags.owner-${i}", contains: "nobody" }]`,
      );
    if (shape === 4)
      lines.push(
        `      resources: ["AWS::Route53::HostedZone:Z${i}*"]`,
        '      window: { when: outside, window: { days: [mon], hours: "01:00-02:00", timeZone: Asia/Tokyo } }',
      );
  }
  return parseRules(lines.join('\n'), 'bench').rules as AlertRule[];
}

/** Changes of every kind the rules look at: policies, functions, zones, deletions; a few fire. */
function benchChanges(): ChangeFact[] {
  const facts: ChangeFact[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const kind = i % 4;
    const type = ['AWS::S3::Bucket', 'AWS::Lambda::Function', 'AWS::Route53::HostedZone', 'AWS::IAM::Role'][
      kind
    ] as string;
    const before: JsonObject = {
      Name: `resource-${i}`,
      Tags: { team: 'web' },
      Configuration: { MemorySize: 128, Environment: { Variables: { STAGE: 'prod', FLAG_1: 'off' } } },
      Policy: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: ['cloudfront.amazonaws.com'] }, Action: ['s3:GetObject'] },
        ],
      },
      RecordSets: { 'a.example.com. A': { Type: 'A', TTL: 300 } },
    };
    const after: JsonObject = {
      ...before,
      Configuration: {
        MemorySize: 128 + (i % 7) * 64,
        Environment: { Variables: { STAGE: 'prod', FLAG_1: i % 10 === 0 ? 'on' : 'off' } },
      },
      ...(i % 50 === 0
        ? { Policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'] }] } }
        : {}),
    };
    const principal =
      i % 3 === 0
        ? 'arn:aws:iam::123456789012:user/alice'
        : 'arn:aws:sts::123456789012:assumed-role/github-deploy/run-1';
    facts.push({
      resource: { account: '123456789012', region: 'us-east-1', type, id: `resource-${i}` },
      kind: 'changed',
      cause: { kind: 'event', eventName: 'Update', principal },
      changedAt: new Date(Date.UTC(2026, 11, 1 + (i % 7), i % 24)),
      principal,
      before,
      after,
      changes: fieldChanges(before, after),
    });
  }
  return facts;
}

/** Evaluation alone: what every capture adds before any read, per change, with 100 rules. */
function evaluationPerChange(out: Report, log: (line: string) => void): void {
  const rules = benchRules('http://127.0.0.1:9/hook');
  const facts = benchChanges();
  const at = new Date('2026-12-05T12:00:00Z');
  let firings: string[] = [];
  const rounds: number[] = [];
  for (let round = 0; round < EVALUATION_ROUNDS; round++) {
    firings = [];
    const started = now();
    for (const fact of facts)
      for (const firing of evaluateChange(candidateRules(rules, fact, at), fact))
        firings.push(firing.rule.name);
    rounds.push((now() - started) / facts.length);
  }
  const fired = firings.length;
  const madePublic = firings.filter((name) => name === 'bucket-made-public').length;
  log(`evaluation: ${rules.length} rules, ${facts.length} changes, ${fired} firings per round`);
  out.goal('rule evaluation per change (100 rules)', round(median(rounds), 4), 'ms', { below: 0.1 }, [
    `${rules.length} rules, ${facts.length} changes × ${EVALUATION_ROUNDS} rounds, median round; field changes computed beforehand`,
  ]);
  out.metric('firings per round', fired, '', `of ${facts.length} changes`);
  out.must('the rules count 100', rules.length === RULES, rules.length);
  // Every 100th change is a bucket (i % 4 = 0) whose policy is made public (i % 50 = 0): 20 of the 2,000.
  out.must('the 20 bucket policies made public fire bucket-made-public', madePublic === 20, madePublic);
}

/** A webhook answering at once, counting what it received. */
async function startWebhook(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T0/B0/bench`,
    received: () => received,
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * What alerts add to a consumer batch: batches of object changes ingested by an engine without rules and by one
 * whose every change fires a rule (claimed in the store, delivered to a webhook), alternately, each batch ending
 * when its alerts are delivered, as the consumer's does.
 */
async function latencyPerBatch(out: Report, log: (line: string) => void): Promise<void> {
  const webhook = await startWebhook();
  try {
    await withTempDir('alerts', (folder) =>
      withSimulatedRig(folder, { objects: 0, functions: 0 }, async ({ account, store, engine: plain }) => {
        await runBaseline(plain, { regions: ['us-east-1'] });
        const rules = parseRules(
          [
            'defaults: false',
            'destinations:',
            `  team-chat: { type: webhook, url: "${webhook.url}" }`,
            'rules:',
            '  - name: any-object-change',
            '    severity: info',
            '    destinations: [team-chat]',
            '    match: { resources: ["AWS::S3::Object:*"] }',
          ].join('\n'),
          'bench',
        );
        const evaluator = new AlertEvaluator({
          store,
          rules,
          destinations: { clients: new AwsClients(), write: () => {} },
        });
        const alerting = await CaptureEngine.create({
          store,
          clients: new AwsClients(),
          sealer: new LocalKeySealer(randomBytes(32)),
          registry,
          account: plain.account,
          observer: evaluator,
        });
        const timings = { plain: [] as number[], alerting: [] as number[] };
        for (let batch = 0; batch < BATCHES * 2; batch++) {
          const withAlerts = batch % 2 === 1;
          const events = Array.from({ length: BATCH_SIZE }, (_, i) =>
            account.putObject(MEDIA_BUCKET, `bench/alerts/${batch}/${i}.txt`, `change ${batch}.${i}`),
          ).flat();
          const text = events.map((event) => JSON.stringify(event)).join('\n');
          const started = now();
          await ingestEvents(withAlerts ? alerting : plain, [{ text, origin: `batch-${batch}` }]);
          if (withAlerts) await evaluator.settle();
          (withAlerts ? timings.alerting : timings.plain).push(now() - started);
        }
        const added = median(timings.alerting) - median(timings.plain);
        log(
          `batches: ${round(median(timings.plain))} ms without rules, ${round(median(timings.alerting))} ms with`,
        );
        out.metric(
          'consumer batch of 10 changes, no rule',
          round(median(timings.plain)),
          'ms',
          `median of ${BATCHES}`,
        );
        out.metric(
          'same, every change alerting to a webhook',
          round(median(timings.alerting)),
          'ms',
          `median of ${BATCHES}`,
        );
        out.metric(
          'added latency per batch',
          round(added),
          'ms',
          `${round(added / BATCH_SIZE)} ms per alert: claim in the store, read 2 records and 2 documents, one webhook POST`,
        );
        out.must(
          'every change alerted once',
          webhook.received() === BATCHES * BATCH_SIZE,
          webhook.received(),
        );
      }),
    );
  } finally {
    await webhook.close();
  }
}

export const alertsBench: BenchScenario = {
  id: 'alerts',
  title: 'Alerts: rule evaluation per change, and what alerting adds to a consumer batch',
  async run(log) {
    const out = new Report();
    evaluationPerChange(out, log);
    await latencyPerBatch(out, log);
    return out.result(this.id, this.title);
  },
};
