import { implausibleMix } from './world.traffic';

describe('implausibleMix', () => {
  it('accepts the few percent that real card traffic stops', () => {
    expect(implausibleMix({ APPROVE: 1929, REVIEW: 43, BLOCK: 27 }, true)).toBeNull();
  });

  it('warns when a tenth or more is stopped, and says why synthetic traffic does it', () => {
    expect(implausibleMix({ APPROVE: 471, REVIEW: 733, BLOCK: 1571 }, false)).toMatch(
      /^83\.0 % of decisions are REVIEW or BLOCK.*synthetic cards have no history/,
    );
    expect(implausibleMix({ APPROVE: 80, REVIEW: 10, BLOCK: 10 }, true)).toMatch(/degraded/);
  });

  it('says nothing about a run that decided nothing', () => {
    expect(implausibleMix({ APPROVE: 0, REVIEW: 0, BLOCK: 0 }, false)).toBeNull();
  });
});
