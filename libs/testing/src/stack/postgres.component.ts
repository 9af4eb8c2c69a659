import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { isRoot } from './artefact.installer';
import { renderPostgresConf, stackPaths } from './config.renderer';
import { type HealthResult, probePostgres } from './health.checks';
import { ProcessComponent } from './process.component';
import { type DetachedProcessSpec, type RunAs, runCommand } from './process.supervisor';
import { StackError, StackErrorCode } from './stack.errors';
import { stackUrls } from './stack.settings';

/** Finds a user in /etc/passwd-formatted text. */
export function findPasswdEntry(passwd: string, user: string): RunAs | undefined {
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === user && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return undefined;
}

/** Shows a connection URL without its password (status output, logs). */
export function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Our own PostgreSQL 15 cluster (Debian binaries) in .argus/stack/postgres, with the `argus` role and database.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to, and runs as, the `postgres` OS user;
 * when that user cannot enter the stack folder, the cluster lives under /var/tmp instead (see postgresDir).
 */
export class PostgresComponent extends ProcessComponent {
  readonly name = 'postgres';
  // SIGTERM is PostgreSQL's "smart" shutdown, which waits for every client to disconnect; SIGINT is "fast".
  protected override readonly stopSignal = 'SIGINT';

  get address(): string {
    return maskUrlPassword(stackUrls(this.settings).postgresUrl);
  }

  protected get port(): number {
    return this.settings.postgres.port;
  }

  protected get processMarker(): string {
    return stackPaths(this.settings).postgresData;
  }

  protected get readyTimeoutMs(): number {
    return this.settings.timeouts.postgresReadyMs;
  }

  private get binary(): string {
    return join(this.settings.postgres.binDir, 'postgres');
  }

  private runAs(): RunAs | undefined {
    if (!isRoot()) return undefined;
    const { osUser } = this.settings.postgres;
    const entry = findPasswdEntry(readFileSync('/etc/passwd', 'utf8'), osUser);
    if (entry === undefined) {
      throw new StackError(
        StackErrorCode.MissingPrerequisite,
        `PostgreSQL cannot run as root and there is no '${osUser}' user (the postgresql-15 package creates it)`,
      );
    }
    return entry;
  }

  protected async install(): Promise<void> {
    if (existsSync(this.binary) && existsSync(join(this.settings.postgres.binDir, 'initdb'))) return;
    await this.context.installer.ensureAptPackages(
      [this.settings.postgres.aptPackage],
      `PostgreSQL 15 (${this.settings.postgres.binDir})`,
    );
  }

  protected async prepare(): Promise<DetachedProcessSpec> {
    const paths = stackPaths(this.settings);
    const runAs = this.runAs();
    if (!paths.postgres.startsWith(this.settings.stackDir)) {
      this.logger.info(
        { component: this.name, stackDir: this.settings.stackDir, dir: paths.postgres, osUser: runAs?.name },
        'the PostgreSQL user cannot enter the stack folder (a folder above it is closed to other users): its files are kept outside it',
      );
    }
    for (const dir of [paths.postgres, paths.postgresSocket]) mkdirSync(dir, { recursive: true });
    if (runAs !== undefined) {
      this.chownTree(paths.postgres, runAs);
      // The socket folder may sit in /tmp when the repository path is too deep (see postgresSocketDir).
      chownSync(paths.postgresSocket, runAs.uid, runAs.gid);
    }
    if (!existsSync(join(paths.postgresData, 'PG_VERSION'))) {
      this.logger.info({ component: this.name, dataDir: paths.postgresData }, 'creating PostgreSQL cluster (initdb)');
      await runCommand({
        command: join(this.settings.postgres.binDir, 'initdb'),
        args: [
          '-D',
          paths.postgresData,
          '--username=postgres',
          '--auth-local=trust',
          '--auth-host=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        cwd: paths.postgres,
        runAs,
        timeoutMs: 120_000,
        logFile: this.logFile,
      });
    }
    const template = readFileSync(join(this.settings.deployDir, 'postgres', 'postgresql.conf.template'), 'utf8');
    const confFile = join(paths.postgres, 'postgresql.conf');
    writeFileSync(confFile, renderPostgresConf(template, this.settings), { mode: 0o644 });
    return {
      command: this.binary,
      args: ['-D', paths.postgresData, '-c', `config_file=${confFile}`],
      cwd: paths.postgres,
      logFile: this.logFile,
      pidFile: this.pidFile,
      runAs,
    };
  }

  /** A data dir created by an earlier non-root run, or by root, must belong to the user that runs postgres. */
  private chownTree(dir: string, owner: RunAs): void {
    const stat = statSync(dir);
    if (stat.uid !== owner.uid || stat.gid !== owner.gid) chownSync(dir, owner.uid, owner.gid);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) this.chownTree(path, owner);
      else if (entry.isFile()) {
        const file = statSync(path);
        if (file.uid !== owner.uid || file.gid !== owner.gid) chownSync(path, owner.uid, owner.gid);
      }
    }
  }

  /** The superuser over the Unix socket (trust): works before the `argus` role exists. */
  private superuserConfig(): ClientConfig {
    return {
      host: stackPaths(this.settings).postgresSocket,
      port: this.settings.postgres.port,
      user: 'postgres',
      database: 'postgres',
    };
  }

  protected override readiness(): Promise<HealthResult> {
    return probePostgres(this.superuserConfig());
  }

  protected override async afterReady(): Promise<void> {
    const { user, password, database } = this.settings.postgres;
    const client = new Client(this.superuserConfig());
    client.on('error', () => undefined);
    await client.connect();
    try {
      // Identifiers come from the settings, not from input; the password is set as a literal because
      // utility statements take no bind parameters.
      const role = await client.query('select 1 from pg_roles where rolname = $1', [user]);
      const literal = `'${password.replaceAll("'", "''")}'`;
      if (role.rowCount === 0) await client.query(`create role "${user}" login password ${literal}`);
      else await client.query(`alter role "${user}" login password ${literal}`);
      const db = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (db.rowCount === 0) {
        await client.query(`create database "${database}" owner "${user}"`);
        this.logger.info({ component: this.name, database, owner: user }, 'created database');
      }
    } finally {
      await client.end();
    }
  }

  protected probe(): Promise<HealthResult> {
    return probePostgres({ connectionString: stackUrls(this.settings).postgresUrl });
  }
}
