import { InvalidArgumentError, type Command } from 'commander';
import { Role } from '@argus/case';
import type { CaseUserRow } from '@argus/case-store';
import { loadStackSettings } from '@argus/testing';
import { generatePassword, saveUser, withCaseStore, ensureDemoUsers } from '../cases/case-users';
import { loadAuditCliSettings } from './audit.command';

const writeStdout = (text: string) => void process.stdout.write(text);

function role(value: string): CaseUserRow['role'] {
  const roles = Object.values(Role) as string[];
  if (!roles.includes(value)) throw new InvalidArgumentError(`expected one of ${roles.join(', ')}`);
  return value as CaseUserRow['role'];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `argus cases users add|disable|demo`: the people who work cases in the console. */
export function registerCasesCommands(program: Command): void {
  const { pgUrl } = loadAuditCliSettings();
  const cases = program.command('cases').description('Analyst cases: the console users');
  const users = cases.command('users').description('Who may log in to the case API and console');

  users
    .command('add <id>')
    .description('Create a user (or reset their role, name and password); prints a generated password once')
    .requiredOption('--role <role>', 'analyst, supervisor or admin', role)
    .option('--name <name>', 'display name (default: the id)')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .option('--pg-url <url>', 'PostgreSQL URL (default: ARGUS_PG_URL, else the local stack)', pgUrl)
    .action(
      async (
        id: string,
        options: { role: CaseUserRow['role']; name?: string; passwordStdin?: boolean; pgUrl: string },
      ) => {
        const password = options.passwordStdin ? await readStdin() : generatePassword();
        if (password.length < 12) throw new InvalidArgumentError('a password needs at least 12 characters');
        await withCaseStore(options.pgUrl, (store) =>
          saveUser(store, { id, name: options.name ?? id, role: options.role, password }),
        );
        writeStdout(
          options.passwordStdin
            ? `user ${id} (${options.role}) saved\n`
            : `user ${id} (${options.role}) saved; password (shown once): ${password}\n`,
        );
      },
    );

  users
    .command('disable <id>')
    .description('Stop a user logging in; their open sessions stop working at once')
    .option('--pg-url <url>', 'PostgreSQL URL (default: ARGUS_PG_URL, else the local stack)', pgUrl)
    .action(async (id: string, options: { pgUrl: string }) => {
      const found = await withCaseStore(options.pgUrl, async (store) => {
        const user = await store.findUser(id);
        if (user === null) return false;
        await store.upsertUser({ ...user, disabled: true });
        return true;
      });
      writeStdout(found ? `user ${id} disabled\n` : `no user ${id}\n`);
      if (!found) process.exitCode = 1;
    });

  users
    .command('demo')
    .description("The local demo's console logins (made once per checkout, kept in .argus/secrets): prints them")
    .option('--pg-url <url>', 'PostgreSQL URL (default: ARGUS_PG_URL, else the local stack)', pgUrl)
    .action(async (options: { pgUrl: string }) => {
      const made = await ensureDemoUsers(loadStackSettings().repoRoot, options.pgUrl);
      for (const user of made) writeStdout(`${user.id.padEnd(12)} ${user.role.padEnd(11)} ${user.password}\n`);
    });
}
