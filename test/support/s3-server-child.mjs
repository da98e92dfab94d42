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
 * Two AWS behaviours s3rver 3.7 lacks, emulated here because the store relies on both:
 * - A PUT is atomic: a reader sees the old object or the new one, never part of it. s3rver writes into the
 *   final file, so a GET racing a PUT can read a truncated body. Here every write to a key (PutObject,
 *   CompleteMultipartUpload) is serialised, and reads of that key wait for the write in flight.
 * - `If-None-Match: *` on PutObject (conditional writes): the write fails with 412 PreconditionFailed when the
 *   key exists, and of two racing writers exactly one wins. s3rver ignores the header and overwrites.
 */
function atomicObjects(server) {
  const writesInFlight = new Map();
  return async function atomicObject(ctx, next) {
    const [bucket = '', ...parts] = ctx.path.slice(1).split('/').map(decodeURIComponent);
    const key = parts.join('/');
    if (!bucket || !key) return next();
    const name = `${bucket}/${key}`;
    const previous = writesInFlight.get(name);
    const writes =
      (ctx.method === 'PUT' && ctx.query.uploadId === undefined) ||
      (ctx.method === 'POST' && ctx.query.uploadId !== undefined);
    if (!writes) {
      await previous;
      return next();
    }
    let release;
    const mine = new Promise((resolve) => (release = resolve));
    const chain = (previous ?? Promise.resolve()).then(() => mine);
    writesInFlight.set(name, chain);
    await previous;
    try {
      if (ctx.get('if-none-match') === '*' && (await server.store.existsObject(bucket, key))) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body = PRECONDITION_FAILED;
        return;
      }
      await next();
    } finally {
      release();
      if (writesInFlight.get(name) === chain) writesInFlight.delete(name);
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
server.middleware.unshift(atomicObjects(server));
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

process.stdin.on('end', () => {
  server.close().finally(() => process.exit(0));
});
process.stdin.resume();
