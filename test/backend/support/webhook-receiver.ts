import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookPayload } from '../../../shared/index';

export interface Received {
  id: string;
  payload: WebhookPayload;
}

/**
 * A real webhook receiver on 127.0.0.1 that verifies every request with standardwebhooks (a
 * request that fails verification is answered 401 and counted in `unverified`). `status` picks
 * the answer to each verified delivery; every verified one is kept in `received`, duplicates included.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  unverified = 0;
  secret = '';
  /** How long each answer is held after the delivery is recorded (a receiver mid-work when the sender dies). */
  delayMs = 0;
  status: (delivery: Received, seen: number) => number | { status: number; headers: Record<string, string> } = () => 204;
  #server: Server | undefined;

  /** Listens on `port` (0: any free port); the URL deliveries go to. */
  async listen(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let payload: WebhookPayload;
        try {
          new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
          payload = WebhookPayload.parse(JSON.parse(body));
        } catch {
          this.unverified++;
          res.writeHead(401).end();
          return;
        }
        const delivery = { id: String(req.headers['webhook-id']), payload };
        const seen = this.received.filter((r) => r.id === delivery.id).length;
        this.received.push(delivery);
        const answer = this.status(delivery, seen);
        const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
        setTimeout(() => res.writeHead(status, headers).end(), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The ids received, once each, in the order first received. */
  uniqueIds(): string[] {
    return [...new Set(this.received.map((r) => r.id))];
  }
}

/** A port nothing listens on (a receiver that is down), free for a receiver to take later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
