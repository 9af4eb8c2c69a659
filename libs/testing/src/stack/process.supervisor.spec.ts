import { parseProcStat, processFamily, type ProcStat } from './process.supervisor';

describe('parseProcStat', () => {
  it('reads state, parent and process group', () => {
    expect(parseProcStat('4242 (java) S 1 4242 4242 0 -1 4194560 ...')).toEqual({ state: 'S', ppid: 1, pgrp: 4242 });
  });

  it('copes with spaces and parentheses in the command name', () => {
    expect(parseProcStat('77 (postgres: (check) pointer) Z 70 70 70 0')).toEqual({ state: 'Z', ppid: 70, pgrp: 70 });
  });

  it('returns undefined for garbage', () => {
    expect(parseProcStat('nonsense')).toBeUndefined();
  });
});

describe('processFamily', () => {
  const stat = (ppid: number, pgrp: number): ProcStat => ({ state: 'S', ppid, pgrp });

  it('finds group members and descendants that left the group, but not strangers', () => {
    const processes = new Map<number, ProcStat>([
      [100, stat(1, 100)], // the server
      [101, stat(100, 100)], // child in its group
      [102, stat(100, 102)], // child that called setsid() (PostgreSQL backends)
      [103, stat(102, 102)], // grandchild
      [104, stat(1, 100)], // orphan still in the group
      [200, stat(1, 200)], // unrelated
    ]);
    expect(processFamily(100, processes).sort()).toEqual([101, 102, 103, 104]);
  });
});
