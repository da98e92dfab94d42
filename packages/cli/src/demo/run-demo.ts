import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { publicReadPolicy, SimulatedAccount, type SimulatedEvent } from '@tidemark/simulation';
import pc from 'picocolors';
import { type Io, processIo } from '../io.js';
import { main } from '../main.js';
import { startChatWebhook } from './chat-webhook.js';

const DEMO_FOLDER = path.join('.tidemark', 'demo');
const NEW_HOME_PAGE = `<!doctype html>
<html><head><title>Queen of San Diego — now booking 2027</title></head>
<body><h1>Sail the bay aboard the Queen of San Diego</h1><p>2027 season now open.</p></body></html>
`;

/** A DNS record added to sailjada.com in the demo: the shop moves to a hosted storefront. */
const SHOP_RECORD = {
  Name: 'shop.sailjada.com.',
  Type: 'CNAME' as const,
  TTL: 300,
  ResourceRecords: [{ Value: 'sailjada.myshopify.com' }],
};

/** A bucket policy changed behind Tidemark's back in the demo. */
const DRIFTED_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::sailjada-media', 'arn:aws:s3:::sailjada-media/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
};

/** A bucket policy that lets anyone read the media bucket: someone sharing a photo the quick way. */
const PUBLIC_MEDIA_POLICY = {
  Version: '2012-10-17',
  Statement: [...DRIFTED_POLICY.Statement, ...publicReadPolicy('sailjada-media').Statement],
};

/**
 * The demo's alert rules, beside its key file where `tidemark` looks for them: the shipped rules, delivered to the
 * terminal and to the team's chat. In this account alice deploys by hand, and the demo runs at any hour.
 */
function demoRules(webhookUrl: string): string {
  return `# Alert rules of the demo account: the shipped rules, adjusted (tidemark alerts check tries a change of them).
settings:
  destinations: [stdout, team-chat]
  deployPrincipals: ["arn:aws:iam::*:user/alice"]
  changeWindow: { days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00", timeZone: UTC }
destinations:
  team-chat: { type: webhook, url: "${webhookUrl}" }
`;
}

/**
 * `npm run demo`: the whole story against a simulated account, offline. Every step is a real `tidemark`
 * command line, run in this process so it talks to the simulated account.
 */
export async function runDemo(io: Io = processIo()): Promise<number> {
  const folder = path.resolve(DEMO_FOLDER);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const store = path.join(folder, 'store');
  const account = await useDemoEnvironment(store, path.join(folder, 'secret.key'));
  const chat = await startChatWebhook();
  await writeFile(path.join(folder, 'tidemark.alerts.yaml'), demoRules(chat.url));
  const secret = 'sk_live_51SimulatedSecretValue0123456789';
  try {
    const say = (text: string) => io.out(`\n${pc.bold(pc.cyan('▸'))} ${pc.bold(text)}`);
    const tidemark = async (...args: string[]) => {
      io.out(pc.dim(`$ tidemark ${args.join(' ')}`));
      const code = await main(['node', 'tidemark', ...args], io);
      if (code !== 0) io.out(pc.yellow(`(exit code ${code})`));
      return code;
    };

    io.out(pc.bold('Tidemark demo: continuous backup and time travel for an AWS account'));
    io.out(
      `A simulated account (${account.accountId}) runs three websites: S3 site and media buckets behind CloudFront with ACM certificates, Route 53 zones, booking, email and image Lambda functions, DynamoDB tables of bookings and users, a REST and an HTTP API, SES mail identities, a Lightsail server, EventBridge rules, and the IAM roles and users around them. No AWS credentials are used; the store is ${path.relative(process.cwd(), store)}.`,
    );
    io.out(
      `Alert rules (${path.join(DEMO_FOLDER, 'tidemark.alerts.yaml')}): the shipped ones, delivered here and to the team's chat webhook, a local server at ${new URL(chat.url).host}.`,
    );

    say(
      '1. Take the first baseline: every bucket with its objects, every function with its code, every table with its items, every distribution, zone, certificate, API, mail identity, server, rule and IAM entity.',
    );
    await tidemark('baseline', '--label', 'v1.0');

    say('2. Someone edits the home page of queenofsandiego.com and deletes about.html from sailjada.com.');
    const firstEvents = [
      ...account.putObject('queenofsandiego.com', 'index.html', NEW_HOME_PAGE, { contentType: 'text/html' }),
      ...account.deleteObject('sailjada.com', 'about.html'),
    ];
    const firstFile = await writeEvents(folder, 'events-1.ndjson', firstEvents);
    io.out(
      `AWS emitted ${firstEvents.length} events (EventBridge and CloudTrail shapes). What do they touch?`,
    );
    await tidemark('events', 'map', firstFile);
    await tidemark('ingest', firstFile);
    const between = new Date().toISOString();
    await pause();

    say(
      '3. Later, STRIPE_SECRET_KEY of booking-handler is rotated, image-resizer gets new code, and a booking is cancelled.',
    );
    io.out('   The rotated key fires the secret-changed alert, which names the field and never its value.');
    io.out(
      '   The booking is one item of a 2,000-item table: its data event re-captures the one chunk that holds it.',
    );
    const booking = account.functionEnvironment('booking-handler');
    const secondEvents = [
      ...account.updateFunctionConfiguration('booking-handler', {
        environment: { ...booking, STRIPE_SECRET_KEY: 'sk_live_51RotatedSecretValue9876543210' },
      }),
      ...account.updateFunctionCode('image-resizer', {
        'index.mjs': 'export const handler = async () => ({ statusCode: 200, body: "resized v2" });\n',
      }),
      ...cancelBooking(account, CANCELLED_BOOKING),
    ];
    await tidemark('ingest', await writeEvents(folder, 'events-2.ndjson', secondEvents));

    say(
      '4. Nothing deployed, no event files: `tidemark watch` reads CloudTrail itself and captures the changes:',
    );
    io.out(
      '   a function setting, a DNS record added to sailjada.com, and the default root object of its distribution.',
    );
    account.updateFunctionConfiguration('email-sender', { memorySize: 512, timeout: 30 });
    account.route53.changeRecord('sailjada.com', { action: 'CREATE', record: SHOP_RECORD });
    const distribution = account.cloudFront.distributionId('sailjada.com');
    account.cloudFront.updateDistribution(distribution, { defaultRootObject: 'home.html' });
    await tidemark('watch', '--once', '--since', '5m');

    say('5. The history of the home page and of the sailjada.com zone: every version, who changed it, what.');
    await tidemark('history', 'AWS::S3::Object:queenofsandiego.com/index.html');
    await tidemark('history', `AWS::Route53::HostedZone:${account.route53.hostedZoneId('sailjada.com')}`);

    say(
      '6. Everything that changed since v1.0, the cancelled booking item by item: the secret shows as changed, never its value.',
    );
    await tidemark('diff', '--from', 'v1.0', '--to', 'now');

    say(`7. The functions as they were in between (${between}): the old key and code, before the rotation.`);
    await tidemark('state', '--at', between, '--type', 'AWS::Lambda::Function');
    await tidemark('diff', '--from', between, '--to', 'now', '--type', 'AWS::Lambda::Function');

    say('8. The old home page is still there, byte for byte.');
    const oldPage = path.join(DEMO_FOLDER, 'index-v1.0.html');
    await tidemark('show', 'queenofsandiego.com/index.html', '--at', 'v1.0', '--blob', oldPage, '--json');
    io.out((await readFile(oldPage, 'utf8')).split('\n').slice(0, 3).join('\n'));

    say(
      '9. Someone tightens a bucket policy and no event reaches Tidemark. What differs now from the store?',
    );
    account.putBucketPolicy('sailjada-media', DRIFTED_POLICY);
    await tidemark('diff', '--from', 'now', '--to', 'live', '--type', 'AWS::S3::Bucket');
    io.out(
      '   The next baseline downloads nothing unchanged, records the change as silent drift (cause: reconcile), and alerts.',
    );
    await tidemark('baseline');
    await tidemark('history', 'AWS::S3::Bucket:sailjada-media');
    await tidemark('baselines');

    say(
      '10. Someone makes the media bucket public to share a photo. The queue delivers the event twice; the team hears once.',
    );
    const publicFile = await writeEvents(
      folder,
      'events-3.ndjson',
      account.putBucketPolicy('sailjada-media', PUBLIC_MEDIA_POLICY),
    );
    const heardBefore = chat.messages.length;
    await tidemark('ingest', publicFile);
    await tidemark('ingest', publicFile);
    const heard = chat.messages.slice(heardBefore);
    io.out(`the team chat received ${heard.length} message${heard.length === 1 ? '' : 's'}:`);
    for (const message of heard) io.out(`   ${message}`);
    await tidemark('alerts', 'list');
    await tidemark('diff', '--from', 'v1.0', '--to', 'live', '--type', 'AWS::S3::Bucket');

    say(
      '11. Put it back: the home page, the deleted about page and image-resizer as they were at v1.0. First the plan: the exact calls, nothing changed.',
    );
    const restored = [
      'queenofsandiego.com/index.html',
      'sailjada.com/about.html',
      'AWS::Lambda::Function:image-resizer',
    ];
    await tidemark('restore', ...restored, '--at', 'v1.0');
    io.out(
      '   Then applied: each resource is captured first (so the restore can be undone), changed, captured again.',
    );
    await tidemark('restore', ...restored, '--at', 'v1.0', '--apply', '--yes');
    await tidemark('diff', '--from', 'v1.0', '--to', 'live', '--type', 'AWS::S3::Object');

    say('12. Every hash in the store checks out, and no secret is stored in plain text.');
    const verified = await tidemark('verify');
    const leaks = await countOccurrences(store, [secret, 'sk_live_51Rotated']);
    io.out(`plain-text occurrences of the Stripe keys in the store: ${leaks}`);
    io.out(
      `\nExplore further: TIDEMARK_STORE=${DEMO_FOLDER}/store TIDEMARK_KEY_FILE=${DEMO_FOLDER}/secret.key npx tidemark --help`,
    );
    return verified === 0 && leaks === 0 ? 0 : 1;
  } finally {
    await chat.close();
    await account.stop();
  }
}

/** The booking the demo cancels. */
const CANCELLED_BOOKING = 'BK-0000042';

/** Cancels a booking of the `bookings` table as the booking function would: its `PutItem` data event. */
function cancelBooking(account: SimulatedAccount, bookingId: string): SimulatedEvent[] {
  const key = { bookingId: { S: bookingId } };
  const item = account.dynamoDb.item('bookings', key);
  if (!item) throw new Error(`the simulated bookings table has no ${bookingId}`);
  return account.dynamoDb.putItem('bookings', {
    ...item,
    status: { S: 'cancelled' },
    notes: { S: 'Cancelled by phone: small craft advisory for the charter date.' },
  });
}

/**
 * Sets the demo's own environment, whatever the caller's shell holds: no AWS or Tidemark setting of the caller's
 * (a region, a profile, an endpoint, another store) reaches its commands. It starts the simulated account, sets
 * its region and the demo's store and key file, and returns the account.
 */
async function useDemoEnvironment(store: string, keyFile: string): Promise<SimulatedAccount> {
  for (const name of Object.keys(process.env))
    if (/^(AWS|TIDEMARK)_/.test(name) && name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
      delete process.env[name];
  const account = await SimulatedAccount.start();
  Object.assign(process.env, {
    AWS_REGION: account.region,
    TIDEMARK_STORE: store,
    TIDEMARK_KEY_FILE: keyFile,
  });
  return account;
}

async function writeEvents(folder: string, name: string, events: readonly SimulatedEvent[]): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`);
  return path.relative(process.cwd(), file);
}

/** Lets the clock move on, so "in between" is a distinct moment. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

async function countOccurrences(folder: string, needles: readonly string[]): Promise<number> {
  let count = 0;
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'latin1');
    for (const needle of needles) count += text.split(needle).length - 1;
  }
  return count;
}
