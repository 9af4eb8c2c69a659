import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRedisConf, stackPaths } from './config.renderer';
import type { ArtefactInstaller } from './artefact.installer';
import { type HealthResult, probeRedis } from './health.checks';
import { ProcessComponent } from './process.component';
import { commandExists, type DetachedProcessSpec } from './process.supervisor';
import { type StackSettings, stackUrls } from './stack.settings';

export const REDIS_SERVER = 'redis-server';

/** Debian's redis-server (with redis-cli), installed through apt when missing; fast once it is there. */
export async function ensureRedisServer(settings: StackSettings, installer: ArtefactInstaller): Promise<void> {
  if (await commandExists(REDIS_SERVER, ['--version'])) return;
  await installer.ensureAptPackages([settings.redis.aptPackage], 'Redis 7 (redis-server)');
}

/** deploy/local/redis/<file>, read fresh on every start (a template edited between runs is picked up). */
export function readRedisTemplate(settings: StackSettings, file: string): string {
  return readFileSync(join(settings.deployDir, 'redis', file), 'utf8');
}

/** Redis 7 (Debian's redis-server) as a pure cache: no RDB, no AOF. Config: deploy/local/redis. */
export class RedisComponent extends ProcessComponent {
  readonly name = 'redis';
  protected readonly processMarker = REDIS_SERVER;

  get address(): string {
    return stackUrls(this.settings).redisUrl;
  }

  protected get port(): number {
    return this.settings.redis.port;
  }

  protected get readyTimeoutMs(): number {
    return this.settings.timeouts.redisReadyMs;
  }

  protected install(): Promise<void> {
    return ensureRedisServer(this.settings, this.context.installer);
  }

  protected async prepare(): Promise<DetachedProcessSpec> {
    const dir = stackPaths(this.settings).redis;
    mkdirSync(dir, { recursive: true });
    const confFile = join(dir, 'redis.conf');
    writeFileSync(confFile, renderRedisConf(readRedisTemplate(this.settings, 'redis.conf.template'), this.settings));
    return { command: REDIS_SERVER, args: [confFile], cwd: dir, logFile: this.logFile, pidFile: this.pidFile };
  }

  protected probe(): Promise<HealthResult> {
    return probeRedis(stackUrls(this.settings).redisUrl);
  }
}
