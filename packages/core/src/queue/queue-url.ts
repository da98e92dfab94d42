/**
 * The region of an SQS queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/q`, or the legacy
 * `https://eu-west-1.queue.amazonaws.com/…`); `undefined` for other hosts (emulators on 127.0.0.1).
 */
export function queueRegion(queueUrl: string): string | undefined {
  let host: string;
  try {
    host = new URL(queueUrl).hostname;
  } catch {
    return undefined;
  }
  return (
    /^sqs[.-]([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1] ??
    /^([a-z]{2}(?:-[a-z]+)+-\d+)\.queue\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1]
  );
}
