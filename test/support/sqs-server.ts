import { SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';

/** A running SQS-protocol server (fauxqs) on 127.0.0.1. */
export interface SqsServer {
  /**
   * `http://127.0.0.1:<port>`: give it to SQS clients as `endpoint` (or `AWS_ENDPOINT_URL_SQS`). The queue URLs
   * the server returns name the host `sqs.<region>.localhost:<port>`, which need not resolve: with an endpoint
   * set, the SDK sends there and the URL only names the queue.
   */
  readonly endpoint: string;
  /** A client of the server with credentials of its own (fauxqs accepts any), whatever the environment says. */
  client(): SQSClient;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (in-memory SQS: batches, visibility timeouts, redrive to a dead-letter queue) on a free port
 * of 127.0.0.1. `startFauxqs` listens on every interface, so the app it builds (`buildApp`) is listened on
 * here instead. It accepts any credentials.
 */
export async function startSqsServer(): Promise<SqsServer> {
  const app = buildApp({ logger: false });
  const endpoint = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    endpoint,
    client: () =>
      new SQSClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    stop: () => app.close(),
  };
}
