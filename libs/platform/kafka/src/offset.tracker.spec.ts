import { OffsetTracker } from './offset.tracker';

describe('OffsetTracker', () => {
  it('commits up to the oldest unfinished offset of each partition, whatever order records finish in', () => {
    const tracker = new OffsetTracker();
    for (const offset of ['10', '11', '12']) tracker.track('scores', 0, offset);
    tracker.track('rules', 0, '5');
    expect(tracker.commitable()).toEqual([
      { topic: 'scores', partition: 0, offset: '10' },
      { topic: 'rules', partition: 0, offset: '5' },
    ]);
    tracker.done('scores', 0, '11');
    expect(tracker.commitable()).toEqual([]);
    tracker.done('scores', 0, '10');
    expect(tracker.commitable()).toEqual([{ topic: 'scores', partition: 0, offset: '12' }]);
    tracker.done('scores', 0, '12');
    tracker.done('rules', 0, '5');
    expect(tracker.commitable()).toEqual([
      { topic: 'scores', partition: 0, offset: '13' },
      { topic: 'rules', partition: 0, offset: '6' },
    ]);
    expect(tracker.pending).toBe(0);
  });

  it('keeps partitions apart and forgets everything on reset', () => {
    const tracker = new OffsetTracker();
    tracker.track('t', 0, '1');
    tracker.track('t', 1, '100');
    tracker.done('t', 1, '100');
    expect(tracker.commitable()).toEqual([
      { topic: 't', partition: 0, offset: '1' },
      { topic: 't', partition: 1, offset: '101' },
    ]);
    tracker.reset();
    expect(tracker.pending).toBe(0);
    expect(tracker.commitable()).toEqual([]);
  });
});
