import type { Label, Transaction } from '@argus/contracts';
import { Rng } from '../random/seeded.random';
import { SCENARIO_MODULES } from '../scenarios/scenario.registry';
import type { Episode, ScenarioModule } from '../scenarios/scenario.types';
import { SimulationError, SimulationErrorCode } from '../simulation.errors';
import {
  resolveSimulationOptions,
  type ResolvedSimulationOptions,
  type SimulationOptions,
} from '../simulation.options';
import { transactionId } from '../world/entity-ids.format';
import { buildWorld } from '../world/world.builder';
import type { Customer, World } from '../world/world.types';
import { legitDraft, nextEventTime } from './customer.stream';
import { fraudLabel } from './label.policy';
import type { SimulatedRow } from './simulated-row.types';
import { SummaryCollector, type SimulationSummary } from './summary.collector';
import { TimeOrderedHeap } from './time-ordered.heap';
import type { TransactionDraft } from './transaction.draft';

/** The transactions of a run in event-time order, and what was generated once they have all been read. */
export interface Simulation extends Iterable<SimulatedRow> {
  readonly options: ResolvedSimulationOptions;
  /** Per-scenario counts of the last complete iteration; throws before one has finished. */
  summary(): SimulationSummary;
}

/** What waits in the event queue: a customer's next own transaction, a scheduled one, or an episode to expand. */
type Pending =
  | { readonly kind: 'customer'; readonly customer: Customer }
  | { readonly kind: 'draft'; readonly draft: TransactionDraft }
  | { readonly kind: 'episode'; readonly episode: Episode; readonly module: ScenarioModule; readonly index: number };

/** Fraud transactions to aim for so that they make `fraudRate` of all: the customers' expected own count scaled. */
function fraudBudget(world: World, options: ResolvedSimulationOptions): number {
  const expectedOwn = world.customers.reduce((sum, c) => sum + c.dailyRate, 0) * options.days;
  return (options.fraudRate / (1 - options.fraudRate)) * expectedOwn;
}

function planScenarios(world: World, options: ResolvedSimulationOptions, queue: TimeOrderedHeap<Pending>): void {
  const modules = SCENARIO_MODULES.filter((m) => options.scenarios.includes(m.name));
  const fraudWeight = modules.reduce((sum, m) => sum + (m.kind === 'fraud' ? m.weight : 0), 0);
  const budget = fraudBudget(world, options);
  for (const module of modules) {
    const share = module.kind === 'fraud' && fraudWeight > 0 ? (budget * module.weight) / fraudWeight : 0;
    const episodes = module.plan({ world, rng: Rng.derive(options.seed, 'plan', module.name), budget: share });
    episodes.forEach((episode, index) => {
      if (episode.start < world.end) queue.push(episode.start, { kind: 'episode', episode, module, index });
    });
  }
}

function until(customer: Customer, world: World): number {
  return Math.min(world.end, customer.closedAt);
}

/** Expands an episode: keeps what falls inside the window, labels each fraud case once it is complete. */
function expand(pending: Extract<Pending, { kind: 'episode' }>, world: World, queue: TimeOrderedHeap<Pending>): void {
  const { episode, module, index } = pending;
  const rng = Rng.derive(world.seed, 'episode', module.name, index);
  for (const drafts of episode.expand(rng)) {
    const kept = drafts.filter((d) => d.time < world.end);
    for (const d of kept) {
      if (d.time < episode.start) {
        throw new SimulationError(
          SimulationErrorCode.INVALID_EPISODE,
          `scenario ${module.name} scheduled a transaction before its episode started (the run would leave time order)`,
        );
      }
    }
    const fraud = kept.filter((d) => d.fraud);
    if (fraud.length > 0 && module.labels !== null) {
      const label = fraudLabel(module.labels, rng, Math.max(...fraud.map((d) => d.time)));
      for (const d of fraud) d.label = label;
    }
    for (const d of kept) queue.push(d.time, { kind: 'draft', draft: d });
  }
}

function toRow(draft: TransactionDraft, sequence: number, options: ResolvedSimulationOptions): SimulatedRow {
  const id = transactionId(options.seed, sequence);
  const { card, customer, device, place } = draft;
  const pan = options.withPan && card !== null ? card.pan : null;
  const cardId = card === null ? customer.accountId : card.id;
  const transaction: Transaction = {
    transaction_id: id,
    event_time: draft.time,
    card_id: pan === null ? cardId : null,
    pan,
    customer_id: customer.id,
    account_id: card === null ? customer.accountId : null,
    amount_minor: draft.amountMinor,
    currency: draft.currency,
    merchant_id: draft.merchantId,
    merchant_category_code: draft.mcc,
    merchant_country: draft.merchantCountry,
    terminal_id: draft.terminalId,
    channel: draft.channel,
    payment_method: draft.method,
    device_fingerprint: device?.fingerprint ?? null,
    ip_address: device?.ip ?? null,
    geo: { lat: place.lat, lon: place.lon, country: place.country, city: place.city },
    attributes: { scenario: draft.scenario },
  };
  const label: Label | null =
    draft.label === null
      ? null
      : {
          transaction_id: id,
          // Never a clear card number in a label: with a PAN the token is only known after tokenisation.
          card_id: pan === null ? cardId : '',
          label: draft.label.value,
          source: draft.label.source,
          reported_at: draft.label.reportedAt,
          event_time: draft.time,
          note: null,
        };
  return { transaction, label, scenario: draft.scenario, fraud: draft.fraud };
}

function* run(options: ResolvedSimulationOptions, summary: SummaryCollector): Generator<SimulatedRow> {
  const world = buildWorld({
    seed: options.seed,
    customers: options.customers,
    start: options.start,
    end: options.end,
  });
  const queue = new TimeOrderedHeap<Pending>();
  planScenarios(world, options, queue);
  for (const customer of world.customers) {
    const first = nextEventTime(customer, world.start, until(customer, world));
    if (first < until(customer, world)) queue.push(first, { kind: 'customer', customer });
  }
  let sequence = 0;
  while (queue.size > 0) {
    const time = queue.peekTime();
    const pending = queue.pop() as Pending;
    let draft: TransactionDraft;
    if (pending.kind === 'episode') {
      expand(pending, world, queue);
      continue;
    } else if (pending.kind === 'customer') {
      const { customer } = pending;
      const limit = until(customer, world);
      draft = legitDraft(customer, time, world, customer.rng);
      const next = nextEventTime(customer, time, limit);
      if (next < limit) queue.push(next, pending);
    } else {
      draft = pending.draft;
    }
    const row = toRow(draft, ++sequence, options);
    summary.add(row);
    yield row;
  }
}

/**
 * A seeded, reproducible synthetic history: a population living its ordinary life, legitimate surprises,
 * and the selected fraud scenarios, merged into one stream in event-time order. Nothing is read or written:
 * iterate it (again for an identical second run) and format the rows as needed.
 */
export function simulate(input: SimulationOptions = {}): Simulation {
  const options = resolveSimulationOptions(input);
  let finished: SimulationSummary | null = null;
  return {
    options,
    *[Symbol.iterator]() {
      const collector = new SummaryCollector(options);
      yield* run(options, collector);
      finished = collector.summary();
    },
    summary() {
      if (finished === null) {
        throw new SimulationError(SimulationErrorCode.NOT_FINISHED, 'the simulation has not been read to the end');
      }
      return finished;
    },
  };
}
