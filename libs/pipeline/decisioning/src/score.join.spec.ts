import { ScoreJoin, type Joined } from './score.join';

describe('ScoreJoin', () => {
  let ready: Joined<string, string>[];
  let dropped: [string, string][];
  let join: ScoreJoin<string, string>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    ready = [];
    dropped = [];
    join = new ScoreJoin(
      { scoreWaitMs: 100, scoreTtlMs: 5_000, decidedMemoryMs: 60_000 },
      { ready: (joined) => ready.push(joined), dropped: (score, why) => dropped.push([score, why]) },
    );
  });
  afterEach(() => jest.useRealTimers());

  it('joins a rule result with the score that follows it, at once', () => {
    join.addRuleResult('t1', 'rules-1');
    expect(ready).toEqual([]);
    join.addScore('t1', 'score-1');
    expect(ready).toEqual([{ transactionId: 't1', ruleResult: 'rules-1', score: 'score-1' }]);
    jest.advanceTimersByTime(1_000);
    expect(ready).toHaveLength(1);
    expect(join.waiting).toEqual({ ruleResults: 0, scores: 0 });
  });

  it('joins a score that came first when its rule result arrives', () => {
    join.addScore('t1', 'score-1');
    join.addRuleResult('t1', 'rules-1');
    expect(ready).toEqual([{ transactionId: 't1', ruleResult: 'rules-1', score: 'score-1' }]);
  });

  it('lets the rules decide alone when the score is later than the budget, and drops the late score', () => {
    join.addRuleResult('t1', 'rules-1');
    jest.advanceTimersByTime(99);
    expect(ready).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ready).toEqual([{ transactionId: 't1', ruleResult: 'rules-1', score: null }]);
    join.addScore('t1', 'score-1');
    expect(dropped).toEqual([['score-1', 'late']]);
    expect(ready).toHaveLength(1);
  });

  it('drops a score whose rule result never comes, after its time to live', () => {
    join.addScore('t1', 'score-1');
    jest.advanceTimersByTime(5_000);
    expect(dropped).toEqual([['score-1', 'orphaned']]);
    expect(join.waiting.scores).toBe(0);
  });

  it('keeps one waiting copy of a redelivered rule result and decides it once', () => {
    join.addRuleResult('t1', 'rules-1');
    jest.advanceTimersByTime(50);
    join.addRuleResult('t1', 'rules-1-again');
    jest.advanceTimersByTime(100);
    expect(ready).toEqual([{ transactionId: 't1', ruleResult: 'rules-1-again', score: null }]);
  });

  it('forgets what is waiting on clear (a rebalance), without deciding it', () => {
    join.addRuleResult('t1', 'rules-1');
    join.addScore('t2', 'score-2');
    join.clear();
    jest.advanceTimersByTime(10_000);
    expect(ready).toEqual([]);
    expect(dropped).toEqual([]);
  });
});
