import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRedisConf, stackPaths } from './config.renderer';
import { type HealthResult, probeRedis } from './health.checks';
import { ProcessComponent } from './process.component';
import { commandExists, type DetachedProcessSpec } from './process.supervisor';
import { stackUrls } from './stack.settings';

const REDIS_SERVER = 'redis-server';

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

  protected async install(): Promise<void> {
    if (await commandExists(REDIS_SERVER, ['--version'])) return;
    await this.context.installer.ensureAptPackages([this.settings.redis.aptPackage], 'Redis 7 (redis-server)');
  }

  protected async prepare(): Promise<DetachedProcessSpec> {
    const dir = stackPaths(this.settings).redis;
    mkdirSync(dir, { recursive: true });
    const template = readFileSync(join(this.settings.deployDir, 'redis', 'redis.conf.template'), 'utf8');
    const confFile = join(dir, 'redis.conf');
    writeFileSync(confFile, renderRedisConf(template, this.settings));
    return { command: REDIS_SERVER, args: [confFile], cwd: dir, logFile: this.logFile, pidFile: this.pidFile };
  }

  protected probe(): Promise<HealthResult> {
    return probeRedis(stackUrls(this.settings).redisUrl);
  }
}
