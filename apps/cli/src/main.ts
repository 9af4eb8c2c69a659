import { Command } from 'commander';
import { registerBenchCommands } from './commands/bench.command';
import { registerServicesCommands } from './commands/services.command';
import { registerStackCommands } from './commands/stack.command';

const program = new Command('argus').description('Argus fraud decisioning — operator command line');

registerStackCommands(program);
registerServicesCommands(program);
registerBenchCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`argus: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
