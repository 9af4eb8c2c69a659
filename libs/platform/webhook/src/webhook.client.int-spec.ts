import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookClient, WebhookErrorCode, webhookBackoff } from './webhook.client';

describe('WebhookClient against a real HTTP receiver on loopback', () => {
  let server: Server;
  let base: string;
  const received: { path: string; body: unknown; type: string | undefined }[] = [];
  let answer = 200;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          path: request.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          type: request.headers['content-type'],
        });
        response.statusCode = answer;
        response.end(answer === 200 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the message as JSON to the secret path', async () => {
    await new WebhookClient(`${base}/services/T000/B000/secret`).post({ text: 'hello' });
    expect(received.at(-1)).toEqual({
      path: '/services/T000/B000/secret',
      body: { text: 'hello' },
      type: 'application/json',
    });
  });

  it('says REFUSED with the status on a non-2xx, naming the host and not the secret path', async () => {
    answer = 503;
    const error = await new WebhookClient(`${base}/secret-path`).post({ text: 'x' }).catch((caught: unknown) => caught);
    answer = 200;
    expect(error).toMatchObject({ code: WebhookErrorCode.REFUSED, status: 503 });
    expect((error as Error).message).not.toContain('secret-path');
  });

  it('says UNREACHABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(new WebhookClient(`http://127.0.0.1:${port}/x`, 1_000).post({ text: 'x' })).rejects.toMatchObject({
      code: WebhookErrorCode.UNREACHABLE,
    });
  });

  it('refuses a URL that is not http(s), and backs off exponentially up to ten minutes', () => {
    expect(() => new WebhookClient('ftp://example.org/x')).toThrow(/http\(s\)/);
    expect([1, 2, 3, 8, 20].map(webhookBackoff)).toEqual([5_000, 10_000, 20_000, 600_000, 600_000]);
  });
});
