import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** Status this receiver answered. */
  status: number;
}

/**
 * A real local HTTP receiver for webhooks: records every POST and answers
 * 200, or what `respondNext` scripted (500s, a slow answer).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  url = '';
  private readonly server: Server;
  private readonly script: Array<{ status: number; delayMs?: number }> = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const next = this.script.shift() ?? { status: 200 };
        const answer = (): void => {
          this.received.push({
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            at: Date.now(),
            status: next.status,
          });
          res
            .writeHead(next.status, { 'content-type': 'text/plain' })
            .end(next.status < 300 ? 'ok' : 'nope');
        };
        if (next.delayMs) setTimeout(answer, next.delayMs);
        else answer();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `count` requests get `status` (after `delayMs`). */
  respondNext(count: number, status: number, delayMs?: number): void {
    for (let i = 0; i < count; i += 1) this.script.push({ status, delayMs });
  }

  delivered(): ReceivedWebhook[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
