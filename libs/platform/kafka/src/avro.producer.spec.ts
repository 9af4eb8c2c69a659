import { splitBySize } from './avro.producer';

const message = (bytes: number, key = 'k') => ({ key, value: Buffer.alloc(bytes) });
// messageBytes = 64 overhead + value + key
const size = (bytes: number) => 64 + bytes + 1;

describe('splitBySize', () => {
  it('keeps everything in one request under the limit, topics in order', () => {
    const requests = splitBySize(
      [
        { topic: 'a', messages: [message(100), message(100)] },
        { topic: 'b', messages: [message(100)] },
      ],
      10_000,
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]!.map((t) => [t.topic, t.messages.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('cuts before the message that would pass the limit, preserving order', () => {
    const limit = size(100) * 2;
    const values = [1, 2, 3, 4, 5].map((n) => ({ key: `k${n}`, value: Buffer.alloc(99) }));
    const requests = splitBySize([{ topic: 'a', messages: values }], limit);
    expect(requests.map((r) => r[0]!.messages.map((m) => m.key))).toEqual([['k1', 'k2'], ['k3', 'k4'], ['k5']]);
  });

  it('sends a message larger than the limit on its own', () => {
    const requests = splitBySize([{ topic: 'a', messages: [message(10), message(5_000), message(10)] }], 1_000);
    expect(requests.map((r) => r[0]!.messages.length)).toEqual([1, 1, 1]);
  });

  it('splits across topics', () => {
    const requests = splitBySize(
      [
        { topic: 'a', messages: [message(400)] },
        { topic: 'b', messages: [message(400), message(400)] },
      ],
      size(400) * 2,
    );
    expect(requests.map((r) => r.map((t) => `${t.topic}:${t.messages.length}`))).toEqual([['a:1', 'b:1'], ['b:1']]);
  });
});
