// s3rver for the tests, in its own process: paged ListObjectsV2 needs Node's legacy OpenSSL provider
// (s3rver's continuation tokens use a cipher OpenSSL 3 dropped), a flag that must not reach the tests.
// Reads { directory, buckets } as JSON in argv[2], prints { port } as one JSON line once listening, and
// stops when its stdin closes (so it never outlives the test process).
import S3rver from 's3rver';

const { directory, buckets } = JSON.parse(process.argv[2] ?? '{}');

const PRECONDITION_FAILED = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<Error><Code>PreconditionFailed</Code>',
  '<Message>At least one of the pre-conditions you specified did not hold</Message>',
  '<Condition>If-None-Match</Condition>',
  '<RequestId>S3RVERCONDITIONAL</RequestId><HostId>s3rver</HostId></Error>',
].join('');

/**
 * AWS S3 honours `If-None-Match: *` on PutObject (conditional writes): the write fails with 412
 * PreconditionFailed when the key exists, and of two racing writers exactly one wins. s3rver 3.7 ignores the
 * header and overwrites, so this middleware emulates AWS: conditional PUTs to one key are serialised, and one
 * to an existing key is answered 412 with S3's XML error body. The store's concurrent-writer tests rely on it.
 */
function conditionalWrites(server) {
  const queues = new Map();
  return async function conditionalWrite(ctx, next) {
    if (ctx.method !== 'PUT' || ctx.get('if-none-match') !== '*') return next();
    const [bucket = '', ...parts] = ctx.path.slice(1).split('/').map(decodeURIComponent);
    const key = parts.join('/');
    const name = `${bucket}/${key}`;
    const previous = queues.get(name) ?? Promise.resolve();
    let release;
    const mine = previous.then(() => new Promise((resolve) => (release = resolve)));
    queues.set(name, mine);
    await previous;
    try {
      if (await server.store.existsObject(bucket, key)) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body = PRECONDITION_FAILED;
        return;
      }
      await next();
    } finally {
      release();
      if (queues.get(name) === mine) queues.delete(name);
    }
  };
}

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: (buckets ?? []).map((bucket) => ({ name: bucket })),
});
server.middleware.unshift(conditionalWrites(server));
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

process.stdin.on('end', () => {
  server.close().finally(() => process.exit(0));
});
process.stdin.resume();
