import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit.command';
import { registerBackfillCommand } from './commands/backfill.command';
import { registerBenchCommands } from './commands/bench.command';
import { registerCasesCommands } from './commands/cases.command';
import { registerDemoCommand } from './commands/demo.command';
import { registerModelCommands } from './commands/models.command';
import { registerReplayCommand } from './commands/replay.command';
import { registerRulesCommands } from './commands/rules.command';
import { registerServicesCommands } from './commands/services.command';
import { registerSimulateCommand } from './commands/simulate.command';
import { registerStackCommands } from './commands/stack.command';
import { registerStateCommands } from './commands/state.command';

const program = new Command('argus').description('Argus fraud decisioning — operator command line');

registerStackCommands(program);
registerServicesCommands(program);
registerReplayCommand(program);
registerSimulateCommand(program);
registerBackfillCommand(program);
registerStateCommands(program);
registerRulesCommands(program);
registerModelCommands(program);
registerBenchCommands(program);
registerAuditCommands(program);
registerCasesCommands(program);
registerDemoCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`argus: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
