// Opens a local store with its index in a cache folder of its own, through the BUILT core (so that the Node running
// it picks the SQLite driver users get: node:sqlite on Node 24, better-sqlite3 before), and prints as one JSON line
// what the index answers. With --write, first writes the store's initial versions and baselines; with --append,
// appends more after answering (and answers again); with --publish, then publishes an index snapshot.
// Every version is deterministic, so that two runs on two drivers must print the same.
// Usage: node index-answers.mjs <store folder> <cache folder> [--write] [--append] [--publish]
import { createHash } from 'node:crypto';
import { VersionStore } from '@tidemark/core/store';

const [folder, cacheDirectory, ...flags] = process.argv.slice(2);
const ACCOUNTS = ['123456789012', '210987654321'];
const KINDS = [
  { account: ACCOUNTS[0], region: 'us-east-1', type: 'AWS::S3::Object' },
  { account: ACCOUNTS[0], region: 'eu-west-1', type: 'AWS::S3::Object' },
  { account: ACCOUNTS[0], region: 'us-east-1', type: 'AWS::Lambda::Function' },
  { account: ACCOUNTS[1], region: 'us-east-1', type: 'AWS::Lambda::Function' },
];
const TIMES = [
  '2026-01-21T12:00:00.000Z',
  '2026-01-24T00:00:00.000Z',
  '2026-01-30T00:00:00.000Z',
  '2026-03-01T00:00:00.000Z',
];
const DAY = 86_400_000;
const hash = (text) => createHash('sha256').update(text).digest('hex');

/** Resource `n`: ids that share names across kinds, with `/` and non-ASCII characters among them. */
function resource(n) {
  const kind = KINDS[n % KINDS.length];
  const id =
    kind.type === 'AWS::S3::Object'
      ? `site-${n % 3}/page-${n}-é.html`
      : n % 5 === 0
        ? 'shared-name'
        : `fn-${n}`;
  return { ...kind, id };
}

/** The `version`-th version of resource `n` (from 0), captured `round` rounds later. */
function versionDraft(n, version, round) {
  const capturedAt = new Date(
    Date.parse('2026-01-20T00:00:00.000Z') + (round * 7 + ((n * 13 + version) % 7)) * DAY + n * 1000,
  ).toISOString();
  const deleted = (n + version) % 9 === 8;
  const causes = [
    { kind: 'baseline', label: 'v1.0' },
    {
      kind: 'event',
      eventId: `e-${n}-${version}`,
      eventName: 'PutObject',
      eventTime: capturedAt,
      principal: 'arn:aws:iam::123456789012:user/alice',
      coalesced: 1 + (n % 3),
    },
    { kind: 'reconcile', label: 'v1.1', detail: 'changed behind our back' },
  ];
  return {
    resource: resource(n),
    capturedAt,
    cause: causes[(n + version) % causes.length],
    deleted,
    document: deleted ? null : hash(`document ${n} ${version}`),
    blobs: deleted || n % 2 ? {} : { content: hash(`content ${n} ${version}`) },
    ...(n % 4 === 1 && !deleted ? { fingerprint: `etag=${hash(`${n}`).slice(0, 32)};size=${n}` } : {}),
    gaps:
      n % 6 === 5
        ? [
            {
              kind: 'denied',
              type: resource(n).type,
              region: resource(n).region,
              id: resource(n).id,
              operation: 'GetBucketPolicy',
              code: 'AccessDenied',
              message: 'denied',
            },
          ]
        : [],
  };
}

async function appendRound(store, round, resources) {
  for (let n = 0; n < resources; n++)
    for (let version = 0; version < 1 + (n % 3); version++)
      await store.append(versionDraft(n, version + round * 3, round));
}

function answers(store) {
  const { index } = store;
  const refs = [resource(0), resource(3), resource(5), resource(10)];
  return {
    counts: index.counts(),
    scope: index.scope(),
    baselines: store.baselines(),
    states: TIMES.map((at) => index.stateAt(at)),
    typed: index.stateAt(TIMES[2], { type: 'AWS::Lambda::Function' }),
    regional: index.stateAt(TIMES[2], { region: 'eu-west-1' }),
    globbed: index.stateAt(TIMES[3], { idGlob: 'site-1/*' }),
    between: index.versionsBetween(TIMES[0], TIMES[3]),
    reversed: index.versionsBetween(TIMES[3], TIMES[1], { type: 'AWS::S3::Object', region: 'us-east-1' }),
    histories: refs.map((ref) => index.history(ref)),
    latest: refs.map((ref) => index.latest(ref) ?? null),
    ofType: index.latestOfType('AWS::S3::Object', 'us-east-1', 'site-1/'),
    found: index.findResources({ id: 'shared-name' }),
  };
}

if (flags.includes('--write')) {
  const store = await VersionStore.open(folder);
  await appendRound(store, 0, 40);
  for (const label of ['v1.0', 'v1.1'])
    await store.appendBaseline({
      label,
      startedAt: TIMES[0],
      completedAt: TIMES[1],
      account: ACCOUNTS[0],
      regions: ['us-east-1'],
      types: [KINDS[0].type],
      entries: [],
      gaps: [],
    });
  store.close();
}
const store = await VersionStore.open(folder, { cacheDirectory });
const printed = { node: process.versions.node, opened: answers(store) };
if (flags.includes('--append')) {
  await appendRound(store, 1, 48);
  printed.appended = answers(store);
}
if (flags.includes('--publish')) await store.publishSnapshot();
printed.restoredFrom = store.restoredFrom?.key ?? null;
store.close();
process.stdout.write(`${JSON.stringify(printed)}\n`);
