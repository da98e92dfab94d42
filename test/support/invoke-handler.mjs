// Loads one Lambda handler file in this fresh process and invokes it once, as Lambda's Node runtime does on a
// cold start. Plain JavaScript, so any Node runs it as it is. Reads { file, name, event, resultFile } as JSON in
// argv[2]; writes { importMs, invokeMs, result } or { importMs?, error } as JSON to resultFile (stdout and stderr
// stay the handler's own) and exits 0, or 1 when the handler could not be loaded or failed.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const { file, name, event, resultFile, timeoutMs = 120_000 } = JSON.parse(process.argv[2] ?? '{}');

/** What Lambda passes as the context of an async handler. */
function lambdaContext() {
  const deadline = Date.now() + timeoutMs;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'tidemark';
  const region = process.env.AWS_REGION ?? 'us-east-1';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/12/04/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function describe(error) {
  return error instanceof Error
    ? { name: error.name, message: error.message, code: error.code, stack: error.stack }
    : { name: 'Error', message: String(error) };
}

const started = performance.now();
let importMs;
try {
  const loaded = await import(pathToFileURL(file).href);
  importMs = performance.now() - started;
  const handler = loaded[name];
  if (typeof handler !== 'function') throw new TypeError(`${file} exports no function ${name}`);
  const invoked = performance.now();
  const result = await handler(event, lambdaContext());
  writeFileSync(resultFile, JSON.stringify({ importMs, invokeMs: performance.now() - invoked, result }));
  process.exit(0);
} catch (error) {
  writeFileSync(
    resultFile,
    JSON.stringify({ ...(importMs === undefined ? {} : { importMs }), error: describe(error) }),
  );
  process.exit(1);
}
