import { createLogger } from '@argus/logger';
import type { Message } from 'kafkajs';
import { PublishBuffer, type EncodedRecord, type RawSender } from './publish.buffer';

const logger = createLogger({ service: 'test', level: 'silent' });

function record(topic: string, id: string): EncodedRecord {
  return { topic, message: { key: `card-${id}`, value: Buffer.from(id) }, transactionId: id };
}

/** A broker stand-in: records what it was sent; fails while `down`. */
class FakeSender implements RawSender {
  readonly requests: { topic: string; ids: string[] }[][] = [];
  down = false;
  attempts = 0;

  async sendRaw(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    this.attempts += 1;
    if (this.down) throw new Error('broker unreachable');
    this.requests.push(
      topicMessages.map(({ topic, messages }) => ({ topic, ids: messages.map((m) => String(m.value)) })),
    );
  }

  get sent(): string[] {
    return this.requests.flatMap((request) => request.flatMap((group) => group.ids));
  }
}

describe('PublishBuffer', () => {
  let now = 0;
  beforeEach(() => {
    jest.useFakeTimers();
    now = 0;
  });
  afterEach(() => jest.useRealTimers());

  const buffer = (sender: RawSender, capacity = 10) =>
    new PublishBuffer(
      sender,
      { capacity, lingerMs: 5, minBackoffMs: 100, maxBackoffMs: 400, unhealthyAfterMs: 1_000, now: () => now },
      logger,
    );

  it('sends what arrives within the linger in one request, grouped by topic, in order', async () => {
    const sender = new FakeSender();
    const publisher = buffer(sender);
    for (const [topic, id] of [
      ['decisions', 'a'],
      ['labels', 'b'],
      ['decisions', 'c'],
    ] as const) {
      publisher.reserve(1)!.publish([record(topic, id)]);
    }
    expect(sender.requests).toEqual([]);
    await jest.advanceTimersByTimeAsync(5);
    expect(sender.requests).toEqual([
      [
        { topic: 'decisions', ids: ['a', 'c'] },
        { topic: 'labels', ids: ['b'] },
      ],
    ]);
    expect(publisher.depth).toBe(0);
  });

  it('refuses a reservation when queued and reserved records fill it; a cancel gives the room back', () => {
    const publisher = buffer(new FakeSender(), 3);
    const first = publisher.reserve(2)!;
    expect(publisher.reserve(2)).toBeNull();
    const second = publisher.reserve(1)!;
    expect(publisher.full).toBe(true);
    first.cancel();
    expect(publisher.full).toBe(false);
    second.publish([record('decisions', 'x')]);
    expect(publisher.depth).toBe(1);
    expect(publisher.reserve(2)).not.toBeNull();
  });

  it('never drops a record while the broker fails: retries with backoff, unhealthy while it lasts', async () => {
    const sender = new FakeSender();
    sender.down = true;
    const publisher = buffer(sender);
    publisher.reserve(2)!.publish([record('decisions', 'a'), record('decisions', 'b')]);
    await jest.advanceTimersByTimeAsync(5);
    expect(sender.attempts).toBe(1);
    // Backoff 100, 200, 400, 400 … ms between attempts.
    await jest.advanceTimersByTimeAsync(100);
    expect(sender.attempts).toBe(2);
    await jest.advanceTimersByTimeAsync(200);
    expect(sender.attempts).toBe(3);
    expect(publisher.healthy).toBe(true);
    now = 1_000;
    expect(publisher.healthy).toBe(false);
    publisher.reserve(1)!.publish([record('decisions', 'c')]);

    sender.down = false;
    await jest.advanceTimersByTimeAsync(400);
    expect(sender.sent).toEqual(['a', 'b', 'c']);
    expect(publisher.healthy).toBe(true);
    expect(publisher.depth).toBe(0);
  });

  it('flushes everything on close, without waiting for the linger', async () => {
    const sender = new FakeSender();
    const publisher = buffer(sender);
    publisher.reserve(1)!.publish([record('decisions', 'a')]);
    await expect(publisher.close(1_000)).resolves.toEqual({ unsent: 0 });
    expect(sender.sent).toEqual(['a']);
    expect(publisher.reserve(1)).toBeNull();
  });

  it('gives up at the close deadline and says how many records were not sent', async () => {
    const sender = new FakeSender();
    sender.down = true;
    const publisher = buffer(sender);
    publisher.reserve(2)!.publish([record('decisions', 'a'), record('decisions', 'b')]);
    const closed = publisher.close(1_000);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(closed).resolves.toEqual({ unsent: 2 });
  });

  it('sends a long queue in batches, one request at a time', async () => {
    const sender = new FakeSender();
    const publisher = new PublishBuffer(sender, { capacity: 1_000, lingerMs: 1, maxBatch: 4 }, logger);
    publisher.reserve(10)!.publish(Array.from({ length: 10 }, (_, i) => record('decisions', String(i))));
    await jest.advanceTimersByTimeAsync(1);
    expect(sender.requests.map((request) => request[0]!.ids.length)).toEqual([4, 4, 2]);
    expect(sender.sent).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
