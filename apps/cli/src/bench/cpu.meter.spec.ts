import { spawnSync } from 'node:child_process';
import { CpuMeter, formatCpuCost } from './cpu.meter';

// Real /proc, no mock: the meter must see this process's CPU and that of the children it spawned.
describe('CpuMeter', () => {
  const busy = (ms: number) => {
    for (const end = performance.now() + ms; performance.now() < end;);
  };

  it('counts a process tree: its own CPU and its reaped children', () => {
    const meter = CpuMeter.of([{ name: 'jest', kind: 'load', pid: process.pid }]);
    const before = meter.sample();
    busy(150);
    // A child that burns ~300 ms and exits: the kernel adds it to this process's cutime when it is reaped.
    spawnSync(process.execPath, ['-e', 'for (const e = Date.now() + 300; Date.now() < e; );']);
    const after = meter.sample();
    const spent = after.byName.get('jest')! - before.byName.get('jest')!;
    expect(spent).toBeGreaterThanOrEqual(350);
    expect(after.machineMs - before.machineMs).toBeGreaterThanOrEqual(350);
  });

  it('divides each process’s CPU by the transactions, and the pipeline’s without the load generator', () => {
    const meter = CpuMeter.of([
      { name: 'kafka', kind: 'stack', pid: 1 },
      { name: 'rules', kind: 'service', pid: 2 },
      { name: 'load generator', kind: 'load', pid: 3 },
    ]);
    const before = {
      atMs: 0,
      machineMs: 0,
      byName: new Map([
        ['kafka', 1_000],
        ['rules', 500],
        ['load generator', 0],
      ]),
    };
    const after = {
      atMs: 10_000,
      machineMs: 9_000,
      byName: new Map([
        ['kafka', 4_000],
        ['rules', 2_500],
        ['load generator', 1_000],
      ]),
    };
    const cost = meter.cost(before, after, 1_000);
    expect(cost.processes).toEqual([
      { name: 'kafka', kind: 'stack', cpu_s: 3, ms_per_tx: 3 },
      { name: 'rules', kind: 'service', cpu_s: 2, ms_per_tx: 2 },
    ]);
    expect(cost).toMatchObject({
      window_s: 10,
      pipeline_ms_per_tx: 5,
      transactions_per_core_second: 200,
      load_generator_ms_per_tx: 1,
      other_ms_per_tx: 3,
      machine_cores_busy: 0.9,
    });
    expect(formatCpuCost(cost)).toContain('= 200 transactions per core-second');
  });
});
