import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  SCENARIOS,
  SIMULATION_DEFAULTS,
  SimulationError,
  formatSummaryTable,
  simulate,
  simulationCsvChunks,
  type Simulation,
  type SimulationOptions,
  type SimulationSummary,
} from '@argus/simulation';
import { InvalidArgumentError, type Command } from 'commander';
import { positiveInt } from './bench.command';

export interface SimulateCommandOptions extends SimulationOptions {
  readonly out: string;
}

export interface SimulateResult {
  readonly summary: SimulationSummary;
  readonly seconds: number;
  /** Paths written, with their sizes in bytes. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly bytes: number }>;
}

/** CLI flag of each option the library may reject. */
const FLAGS: Readonly<Record<string, string>> = { fraudRate: 'fraud-rate' };

function nonNegativeInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

function rate(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError('must be a number, e.g. 0.01');
  return parsed;
}

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

async function write(stream: WriteStream, text: string): Promise<void> {
  if (text !== '' && !stream.write(text)) await once(stream, 'drain');
}

/** The library names the option it refuses; the user typed a flag. */
function startSimulation(options: SimulationOptions): Simulation {
  try {
    return simulate(options);
  } catch (error) {
    if (!(error instanceof SimulationError) || error.option === undefined) throw error;
    const flag = `--${FLAGS[error.option] ?? error.option}`;
    const named = error.message.startsWith(`${error.option} `);
    const message = named ? `${flag} ${error.message.slice(error.option.length + 1)}` : `${flag}: ${error.message}`;
    throw new Error(message, { cause: error });
  }
}

/** Generates the history into `out`: transactions.csv, labels.csv (by report time), summary.json. */
export async function runSimulate(options: SimulateCommandOptions): Promise<SimulateResult> {
  const simulation = startSimulation(options);
  const started = performance.now();
  mkdirSync(options.out, { recursive: true });
  const paths = ['transactions.csv', 'labels.csv', 'summary.json'].map((name) => join(options.out, name));
  const transactions = createWriteStream(paths[0]);
  const labels = createWriteStream(paths[1]);
  try {
    for (const chunk of simulationCsvChunks(simulation)) {
      await write(transactions, chunk.transactions);
      await write(labels, chunk.labels);
    }
  } finally {
    transactions.end();
    labels.end();
  }
  await Promise.all([finished(transactions), finished(labels)]);
  const summary = simulation.summary();
  writeFileSync(paths[2], `${JSON.stringify(summary, null, 2)}\n`);
  const seconds = (performance.now() - started) / 1000;
  return { summary, seconds, files: paths.map((path) => ({ path, bytes: statSync(path).size })) };
}

export function formatSimulateResult(result: SimulateResult): string {
  const rate = Math.round(result.summary.transactions / Math.max(result.seconds, 0.001));
  const files = result.files.map((f) => `  ${f.path}  ${(f.bytes / 1e6).toFixed(1)} MB`);
  return `${formatSummaryTable(result.summary)}generated in ${result.seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} transactions/s):\n${files.join('\n')}\n`;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Generate a labelled synthetic history (argus CSV) with named fraud scenarios, seeded and reproducible',
    )
    .requiredOption('--out <dir>', 'folder for transactions.csv, labels.csv and summary.json')
    .option('--customers <n>', `customers in the population (default ${SIMULATION_DEFAULTS.customers})`, positiveInt)
    .option('--days <n>', `days of history (default ${SIMULATION_DEFAULTS.days})`, positiveInt)
    .option(
      '--seed <n>',
      `seed: the same options give identical files (default ${SIMULATION_DEFAULTS.seed})`,
      nonNegativeInt,
    )
    .option('--fraud-rate <r>', `target share of fraud transactions (default ${SIMULATION_DEFAULTS.fraudRate})`, rate)
    .option('--scenarios <a,b,c>', `scenarios to run (default all: ${SCENARIOS.join(', ')})`, list)
    .option('--start <iso>', `start of the history (default ${SIMULATION_DEFAULTS.start})`)
    .option('--with-pan', 'write Luhn-valid test card numbers in `pan` instead of card_id tokens')
    .action(async (options: SimulateCommandOptions) => {
      process.stdout.write(formatSimulateResult(await runSimulate(options)));
    });
}
