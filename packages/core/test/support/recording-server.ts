import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the server answers one request with; `hang` never answers. */
export type Reply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | 'hang';

/** A node:http server on 127.0.0.1 that records every request and answers as the test scripts it. */
export interface RecordingServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly requests: readonly ReceivedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts a server on a free port of 127.0.0.1 answering the n-th request (from 0) with `reply(request, n)`.
 *
 * @example
 * const server = await startRecordingServer(() => ({ status: 200, body: 'ok' }));
 */
export async function startRecordingServer(
  reply: (request: ReceivedRequest, index: number) => Reply,
): Promise<RecordingServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: ReceivedRequest = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    const answer = reply(request, requests.length - 1);
    if (answer === 'hang') return;
    response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
