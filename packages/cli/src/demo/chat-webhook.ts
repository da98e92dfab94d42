import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

/** A team chat's incoming webhook, on this machine: what the demo's alerts are delivered to. */
export interface ChatWebhook {
  /** The URL rules files name (`http://127.0.0.1:<port>/services/…`). */
  readonly url: string;
  /** The `text` of every message received, in order. */
  readonly messages: readonly string[];
  close(): Promise<void>;
}

/** Starts a Slack-compatible incoming webhook on 127.0.0.1 that keeps each message's `text` and answers `ok`. */
export async function startChatWebhook(): Promise<ChatWebhook> {
  const messages: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await text(request);
    try {
      messages.push(String((JSON.parse(body) as { text?: unknown }).text));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T0DEMO/B0DEMO/demo-token`,
    messages,
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
