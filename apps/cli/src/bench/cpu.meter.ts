import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { servicesStatus, stackStatus, type StackSettings } from '@argus/testing';
import { formatTable } from './bench.report';

// What a bench cost in CPU, process by process, read from Linux /proc: every service, every server of the local
// stack (Kafka, the registry, PostgreSQL with its backends, Redis), the load generator (this process) and
// whatever else ran on the machine meanwhile. The figure to drive down is the pipeline's CPU per transaction:
// on two cores, latency follows it.

/** A process the bench accounts for, with the processes it spawned (PostgreSQL's backends, Redis' forks). */
export interface MeteredProcess {
  readonly name: string;
  readonly kind: 'service' | 'stack' | 'load';
  readonly pid: number;
}

export interface CpuSample {
  readonly atMs: number;
  /** CPU ms so far of each metered process tree, by name; absent when the process is gone. */
  readonly byName: ReadonlyMap<string, number>;
  /** CPU ms the whole machine has spent busy (every core, every process, the kernel). */
  readonly machineMs: number;
}

export interface ProcessCost {
  readonly name: string;
  readonly kind: MeteredProcess['kind'];
  readonly cpu_s: number;
  readonly ms_per_tx: number;
}

export interface CpuCost {
  readonly window_s: number;
  readonly transactions: number;
  readonly processes: readonly ProcessCost[];
  /** Services and stack servers: what deciding the transactions cost, without the load generator. */
  readonly pipeline_ms_per_tx: number;
  readonly transactions_per_core_second: number;
  readonly load_generator_ms_per_tx: number;
  /** Busy CPU of the machine not in any metered process (other programs, the kernel's own work). */
  readonly other_ms_per_tx: number;
  /** Average cores busy over the window, of `cores`. */
  readonly machine_cores_busy: number;
  readonly cores: number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const tickMs = 1000 / ticksPerSecond;

interface ProcStat {
  readonly ppid: number;
  /** utime + stime + cutime + cstime: its own CPU and that of the children it has reaped. */
  readonly ticks: number;
}

/** Every process's parent and CPU ticks, from /proc/<pid>/stat (fields 4, 14–17). */
function readProcesses(): Map<number, ProcStat> {
  const processes = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      processes.set(Number(entry), { ppid: Number(fields[1]), ticks });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return processes;
}

/** Busy ticks of all cores: the first line of /proc/stat less idle and iowait. */
function machineBusyTicks(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return user! + nice! + system! + irq! + softirq! + (steal ?? 0);
}

/** CPU ms of each process tree: the root and all its descendants. */
function treeMs(roots: readonly MeteredProcess[], processes: Map<number, ProcStat>): Map<string, number> {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const result = new Map<string, number>();
  for (const root of roots) {
    if (!processes.has(root.pid)) continue;
    let ticks = 0;
    const stack = [root.pid];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      ticks += processes.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    result.set(root.name, ticks * tickMs);
  }
  return result;
}

export class CpuMeter {
  private constructor(private readonly metered: readonly MeteredProcess[]) {}

  /** The running services and stack servers of this checkout, and this process as the load generator. */
  static async forLocalStack(settings: StackSettings): Promise<CpuMeter> {
    const [services, stack] = await Promise.all([servicesStatus(settings), stackStatus({ settings })]);
    return new CpuMeter([
      ...services
        .filter((service) => service.running && service.pid !== undefined)
        .map((service) => ({ name: service.id, kind: 'service' as const, pid: service.pid! })),
      // A component of several servers (Redis Cluster) is metered server by server: the rows show the balance.
      ...stack.flatMap((component) =>
        component.pid !== null
          ? [{ name: component.name, kind: 'stack' as const, pid: component.pid }]
          : (component.nodes ?? [])
              .filter((node) => node.pid !== null)
              .map((node) => ({ name: `${component.name} ${node.address}`, kind: 'stack' as const, pid: node.pid! })),
      ),
      { name: 'load generator', kind: 'load', pid: process.pid },
    ]);
  }

  static of(metered: readonly MeteredProcess[]): CpuMeter {
    return new CpuMeter(metered);
  }

  get processes(): readonly MeteredProcess[] {
    return this.metered;
  }

  sample(): CpuSample {
    return {
      atMs: performance.now(),
      byName: treeMs(this.metered, readProcesses()),
      machineMs: machineBusyTicks() * tickMs,
    };
  }

  /** The cost between two samples, per transaction decided in between. */
  cost(before: CpuSample, after: CpuSample, transactions: number): CpuCost {
    const perTx = (ms: number) => (transactions > 0 ? round(ms / transactions, 2) : 0);
    const spent = this.metered.map((process) => ({
      ...process,
      ms: Math.max(0, (after.byName.get(process.name) ?? 0) - (before.byName.get(process.name) ?? 0)),
    }));
    const sum = (kinds: readonly MeteredProcess['kind'][]) =>
      spent.filter((p) => kinds.includes(p.kind)).reduce((total, p) => total + p.ms, 0);
    const pipelineMs = sum(['service', 'stack']);
    const windowMs = after.atMs - before.atMs;
    const machineMs = after.machineMs - before.machineMs;
    return {
      window_s: round(windowMs / 1000, 1),
      transactions,
      processes: spent
        .filter((p) => p.kind !== 'load')
        .sort((a, b) => b.ms - a.ms)
        .map(({ name, kind, ms }) => ({ name, kind, cpu_s: round(ms / 1000, 2), ms_per_tx: perTx(ms) })),
      pipeline_ms_per_tx: perTx(pipelineMs),
      transactions_per_core_second: pipelineMs > 0 ? Math.round(transactions / (pipelineMs / 1000)) : 0,
      load_generator_ms_per_tx: perTx(sum(['load'])),
      other_ms_per_tx: perTx(Math.max(0, machineMs - sum(['service', 'stack', 'load']))),
      machine_cores_busy: windowMs > 0 ? round(machineMs / windowMs, 2) : 0,
      cores: availableParallelism(),
    };
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export function formatCpuCost(cost: CpuCost): string {
  const rows: [string, string][] = cost.processes.map((p) => [
    p.name,
    `${p.ms_per_tx.toFixed(2).padStart(6)} ms/tx   (${p.cpu_s} s)`,
  ]);
  rows.push(
    [
      'pipeline',
      `${cost.pipeline_ms_per_tx.toFixed(2).padStart(6)} ms/tx   = ${cost.transactions_per_core_second} transactions per core-second`,
    ],
    ['load generator', `${cost.load_generator_ms_per_tx.toFixed(2).padStart(6)} ms/tx   (this process)`],
    ['other', `${cost.other_ms_per_tx.toFixed(2).padStart(6)} ms/tx   (other processes, the kernel)`],
    ['machine', `${cost.machine_cores_busy} of ${cost.cores} cores busy over ${cost.window_s} s`],
  );
  return formatTable(`CPU per transaction (from /proc, ${cost.transactions} transactions)`, rows);
}
