import { Rng } from '../random/seeded.random';
import { TimeOrderedHeap } from './time-ordered.heap';

describe('TimeOrderedHeap', () => {
  it('returns values by time, equal times in insertion order', () => {
    const heap = new TimeOrderedHeap<string>();
    heap.push(5, 'e');
    heap.push(1, 'a');
    heap.push(3, 'c1');
    heap.push(3, 'c2');
    heap.push(2, 'b');
    heap.push(3, 'c3');
    expect(heap.peekTime()).toBe(1);
    const out: string[] = [];
    while (heap.size > 0) out.push(heap.pop()!);
    expect(out).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'e']);
    expect(heap.pop()).toBeUndefined();
    expect(heap.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('sorts many interleaved pushes and pops', () => {
    const rng = new Rng(4);
    const heap = new TimeOrderedHeap<number>();
    const popped: number[] = [];
    let floor = 0;
    for (let i = 0; i < 5000; i++) {
      heap.push(floor + rng.int(1000), i);
      if (rng.chance(0.4)) {
        floor = heap.peekTime();
        popped.push(floor);
        heap.pop();
      }
    }
    while (heap.size > 0) {
      popped.push(heap.peekTime());
      heap.pop();
    }
    expect(popped).toEqual([...popped].sort((a, b) => a - b));
    expect(popped).toHaveLength(5000);
  });
});
