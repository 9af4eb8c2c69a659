import { join } from 'node:path';
import type { Outcome, Transaction } from '@argus/contracts';
import { loadStackSettings, localPanTokenKey } from '@argus/testing';
import { PanTokeniser } from '@argus/transaction';
import { loadAuditCliSettings } from '../commands/audit.command';
import { runStateForget, runStateLoad } from '../commands/state.command';
import { forgetDemoCases } from '../demo/demo.cases';
import { DEMO_WORLD, simulateDemoWorld } from '../demo/demo.world';
import { tokenisedTimeline } from '../history/history.timeline';
import { ensureDemoChampion } from '../models/demo.model';
import type { GroundTruth } from '../tracking/detection.tally';

// Benchmark traffic that looks like production: the demo's simulated world (cards with four weeks of history,
// its share of fraud and its scenarios), that history loaded into the live feature state under a population of
// its own, scored by the champion trained on that same world; the bench then sends the days after the history,
// with their own timestamps, at its fixed rate. Synthetic traffic (cards never seen, every one new and risky)
// measures a system that blocks half of what it sees.

/** Every bench population's ids start with this; the next bench forgets the previous one's state and cases. */
export const BENCH_WORLD_PREFIX = 'bench-world-';

export interface WorldTransaction {
  readonly transaction: Transaction;
  readonly truth: GroundTruth;
}

export interface WorldTraffic {
  /** The days after the history, in time order: what the bench sends. */
  readonly transactions: readonly WorldTransaction[];
  readonly namespace: string;
  readonly champion: string;
  readonly historyTransactions: number;
}

/**
 * The demo world and its champion (trained once and reused while it serves), its history in the feature
 * state under a fresh namespace (about 40 s), and the live days read into memory, tokenised and namespaced.
 */
export async function prepareWorldTraffic(print: (line: string) => void): Promise<WorldTraffic> {
  const settings = loadStackSettings();
  const pgUrl = loadAuditCliSettings().pgUrl;
  const world = await simulateDemoWorld(join(settings.repoRoot, '.argus', 'demo', 'world'), DEMO_WORLD);
  const champion = await ensureDemoChampion(settings.repoRoot, pgUrl, world, print);
  const forgotten = await runStateForget(BENCH_WORLD_PREFIX);
  const cases = await forgetDemoCases(BENCH_WORLD_PREFIX, pgUrl);
  if (forgotten + cases > 0) print(`forgot the previous bench population (${forgotten} Redis keys, ${cases} cases)`);
  const namespace = `${BENCH_WORLD_PREFIX}${Date.now().toString(36)}-`;
  const { cut } = world.timeline;
  const state = await runStateLoad({ file: world.file, format: 'argus', namespace, until: cut });
  print(
    `history until ${new Date(cut).toISOString()} in the feature state: ${state.loaded} transactions ` +
      `(namespace ${namespace})`,
  );
  const tokeniser = new PanTokeniser({ keyId: 'k1', key: Buffer.from(localPanTokenKey(settings), 'utf8') });
  const transactions: WorldTransaction[] = [];
  for await (const item of tokenisedTimeline({ file: world.file, format: 'argus', namespace }, tokeniser)) {
    if (item.kind !== 'transaction' || item.transaction.event_time < cut) continue;
    // The simulator labels every fraud: an unlabelled transaction is a good customer's.
    transactions.push({
      transaction: item.transaction,
      truth: { fraud: item.label?.fraud ?? false, scenario: item.transaction.attributes['scenario'] ?? null },
    });
  }
  return { transactions, namespace, champion, historyTransactions: state.loaded };
}

/** The world's transactions and how far the bench has sent them. */
export interface WorldCursor {
  readonly transactions: readonly { readonly transaction: Transaction; readonly truth: GroundTruth }[];
  next: number;
}

/** Real card traffic is reviewed or blocked at a few percent at most; far more means the traffic is not real. */
const PLAUSIBLE_STOP_SHARE = 0.1;

/** Why an outcome mix is not what real card traffic gives (a few percent stopped), or null when it is. */
export function implausibleMix(outcomes: Readonly<Record<Outcome, number>>, world: boolean): string | null {
  const decided = outcomes.APPROVE + outcomes.REVIEW + outcomes.BLOCK;
  const stopped = decided === 0 ? 0 : (outcomes.REVIEW + outcomes.BLOCK) / decided;
  if (stopped <= PLAUSIBLE_STOP_SHARE) return null;
  return (
    `${(stopped * 100).toFixed(1)} % of decisions are REVIEW or BLOCK, where real card traffic stops a few percent: ` +
    (world
      ? 'the decisions are degraded (see above) or the model does not fit this world'
      : 'synthetic cards have no history, so every one looks new and risky; measure with --traffic world')
  );
}
