import calculateSlot from 'cluster-key-slot';
import { isClusterRedirection, type PipelineReply, placeReplies, planPipelines } from './slot.pipeline';

// Three masters with Redis's default split of the 16 384 slots (what `redis-cli --cluster create` assigns).
const node = (slot: number) => (slot <= 5460 ? 'a' : slot <= 10922 ? 'b' : 'c');

describe('planPipelines', () => {
  const keys = [
    'f:{card:1}:m', // slot 1 775 → a
    'f:{card:2}:m', // slot 13 964 → c
    'f:{card:1}:m',
    'argus:ingestion:txn:t-9', // no hash tag, the whole key: slot 3 445 → a
    'f:{card:2}:m',
    'f:{card:1}:l', // the same entity, another key: the same slot
  ];

  it('puts every command in the pipeline of the node serving its slot, keeping the batch order inside each', () => {
    const groups = planPipelines(keys, node);
    for (const { group, positions } of groups) {
      for (const position of positions) expect(node(calculateSlot(keys[position]!))).toBe(group);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    }
    expect(groups.flatMap((group) => group.positions).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps one entity (one hash tag) and one id together, in order', () => {
    const groups = planPipelines(keys, node);
    const groupOf = (position: number) => groups.find((group) => group.positions.includes(position))!;
    expect(groupOf(0)).toBe(groupOf(2));
    expect(groupOf(0)).toBe(groupOf(5));
    expect(groupOf(1)).toBe(groupOf(4));
    expect(groupOf(0).positions.filter((p) => [0, 2, 5].includes(p))).toEqual([0, 2, 5]);
  });

  it('makes one pipeline per node, in the order the nodes first appear', () => {
    expect(planPipelines(keys, node).map((group) => group.group)).toEqual([
      ...new Set(keys.map((key) => node(calculateSlot(key)))),
    ]);
  });

  it('sends each slot alone while no slot map is known', () => {
    const groups = planPipelines(keys, () => undefined);
    expect(groups).toEqual([
      { group: `slot ${calculateSlot(keys[0]!)}`, positions: [0, 2, 5] },
      { group: `slot ${calculateSlot(keys[1]!)}`, positions: [1, 4] },
      { group: `slot ${calculateSlot(keys[3]!)}`, positions: [3] },
    ]);
  });

  it('plans nothing for an empty batch', () => {
    expect(planPipelines([], node)).toEqual([]);
  });
});

describe('placeReplies', () => {
  it('puts each pipeline reply back at its command position', () => {
    const groups = [
      { group: 'a', positions: [0, 2, 3] },
      { group: 'c', positions: [1, 4] },
    ];
    const replies = new Array<PipelineReply>(5);
    placeReplies(
      groups,
      [
        [
          [null, 'a0'],
          [null, 'a2'],
          [null, 'a3'],
        ],
        [
          [null, 'c1'],
          [null, 'c4'],
        ],
      ],
      replies,
    );
    expect(replies.map(([, reply]) => reply)).toEqual(['a0', 'c1', 'a2', 'a3', 'c4']);
  });

  it('marks a command its pipeline returned no reply for as failed rather than shifting the others', () => {
    const replies = new Array<PipelineReply>(2);
    placeReplies([{ group: 'a', positions: [0, 1] }], [[[null, 'first']]], replies);
    expect(replies[0]).toEqual([null, 'first']);
    expect(replies[1]![0]).toBeInstanceOf(Error);
  });
});

describe('isClusterRedirection', () => {
  it.each([
    ['MOVED 3999 127.0.0.1:16381', true],
    ['ASK 3999 127.0.0.1:16381', true],
    ['TRYAGAIN Multiple keys request during rehashing of slot', true],
    ['CLUSTERDOWN The cluster is down', true],
    ['ERR Error running script (call to f_1234): @user_script:12: boom', false],
    ['Connection is closed.', false],
  ])('%s → %s', (message, redirected) => {
    expect(isClusterRedirection(new Error(message))).toBe(redirected);
  });

  it('is false for a success', () => {
    expect(isClusterRedirection(null)).toBe(false);
  });
});
