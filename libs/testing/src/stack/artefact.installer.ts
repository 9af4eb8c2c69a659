import { createHash } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Logger } from '@argus/logger';
import { commandExists, runCommand } from './process.supervisor';
import { describeError, StackError, StackErrorCode } from './stack.errors';
import type { StackSettings } from './stack.settings';

const JAVA_MAJOR = 17;

/** apt and Maven each lock a shared cache (dpkg, ~/.m2): one install of each kind at a time. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export interface MavenCoordinates {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly classifier?: string;
  readonly extension: string;
}

/** The path of an artefact file in a Maven repository layout. */
export function mavenPath(coordinates: MavenCoordinates): string {
  const { groupId, artifactId, version, classifier, extension } = coordinates;
  const suffix = classifier === undefined ? '' : `-${classifier}`;
  return `${groupId.replaceAll('.', '/')}/${artifactId}/${version}/${artifactId}-${version}${suffix}.${extension}`;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** `java -version` output → major version (8 for "1.8.0_x", 17 for "17.0.15"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/**
 * Installs what the stack runs on, the first time it is needed, so that a fresh CI machine needs no manual
 * step: Debian packages (as root only) and Maven artefacts. Long steps log a progress line every 15 s.
 */
export class ArtefactInstaller {
  private readonly aptQueue = new SerialQueue();
  private readonly mavenQueue = new SerialQueue();
  private aptUpdated = false;
  private javaReady: Promise<void> | undefined;
  private mavenReady: Promise<void> | undefined;

  constructor(
    private readonly settings: StackSettings,
    private readonly logger: Logger,
  ) {}

  private get logsDir(): string {
    return join(this.settings.stackDir, 'logs');
  }

  ensureJava(): Promise<void> {
    this.javaReady ??= this.checkJava();
    return this.javaReady;
  }

  ensureMaven(): Promise<void> {
    this.mavenReady ??= (async () => {
      if (await commandExists(this.settings.mavenBin, ['-v'])) return;
      await this.ensureAptPackages(['maven'], 'Maven (mvn), to download the Kafka and Apicurio jars');
    })();
    return this.mavenReady;
  }

  /** Installs Debian packages with apt-get when running as root; otherwise says what to install. */
  ensureAptPackages(packages: readonly string[], what: string): Promise<void> {
    if (!isRoot()) {
      return Promise.reject(
        new StackError(
          StackErrorCode.MissingPrerequisite,
          `${what} is not installed. Install it with: sudo apt-get install -y ${packages.join(' ')} ` +
            '(argus stack up installs it itself only when run as root)',
        ),
      );
    }
    return this.aptQueue.run(async () => {
      const logFile = join(this.logsDir, 'apt.log');
      // env(1) sets the variable for apt only: debconf must never wait for an answer on a CI machine.
      const apt = (args: readonly string[]) =>
        runCommand({
          command: 'env',
          args: ['DEBIAN_FRONTEND=noninteractive', 'apt-get', '-q', '-y', '-o', 'DPkg::Lock::Timeout=300', ...args],
          timeoutMs: this.settings.timeouts.installMs,
          logFile,
        });
      await this.withProgress(`installing ${packages.join(', ')} with apt-get (first run only)`, async () => {
        if (!this.aptUpdated) {
          await apt(['update']);
          this.aptUpdated = true;
        }
        await apt(['install', '--no-install-recommends', ...packages]);
      }).catch((error: unknown) => {
        throw new StackError(
          StackErrorCode.InstallFailed,
          `apt-get install ${packages.join(' ')} failed: ${describeError(error)}`,
          { cause: error },
        );
      });
    });
  }

  /** Runs Maven quietly (its output goes to a log file), one invocation at a time. */
  maven(args: readonly string[], description: string, cwd: string): Promise<void> {
    return this.mavenQueue.run(async () => {
      await this.ensureMaven();
      const logFile = join(this.logsDir, 'maven.log');
      await this.withProgress(description, () =>
        runCommand({
          command: this.settings.mavenBin,
          args: ['-B', '--no-transfer-progress', ...args],
          cwd,
          timeoutMs: this.settings.timeouts.installMs,
          logFile,
        }),
      ).catch((error: unknown) => {
        throw new StackError(StackErrorCode.InstallFailed, `${description} failed: ${describeError(error)}`, {
          cause: error,
        });
      });
    });
  }

  /**
   * Downloads one file from Maven Central and checks it against the SHA-1 published next to it. For artefacts
   * Maven refuses to resolve: Apicurio's app archive names a parent pom that was never published.
   */
  async downloadFromMavenCentral(
    coordinates: MavenCoordinates,
    destination: string,
    description: string,
  ): Promise<void> {
    const url = `${this.settings.mavenCentralUrl}/${mavenPath(coordinates)}`;
    const signal = AbortSignal.timeout(this.settings.timeouts.installMs);
    const get = async (target: string) => {
      const response = await fetch(target, { signal });
      if (!response.ok || response.body === null) {
        throw new StackError(StackErrorCode.InstallFailed, `GET ${target} returned HTTP ${response.status}`);
      }
      return response;
    };
    const partial = `${destination}.partial`;
    await this.withProgress(description, async () => {
      const expected = (await (await get(`${url}.sha1`)).text()).trim().split(/\s+/)[0]?.toLowerCase();
      const response = await get(url);
      const hash = createHash('sha1');
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
      const actual = hash.digest('hex');
      if (actual !== expected) {
        rmSync(partial, { force: true });
        throw new StackError(
          StackErrorCode.InstallFailed,
          `${url}: SHA-1 ${actual} does not match the published ${expected}`,
        );
      }
      renameSync(partial, destination);
    }).catch((error: unknown) => {
      rmSync(partial, { force: true });
      throw new StackError(StackErrorCode.InstallFailed, `${description} failed: ${describeError(error)}`, {
        cause: error,
      });
    });
  }

  private async checkJava(): Promise<void> {
    const version = async (): Promise<string | undefined> => {
      try {
        const { stdout, stderr } = await runCommand({
          command: this.settings.javaBin,
          args: ['-version'],
          timeoutMs: 30_000,
        });
        return `${stderr}${stdout}`;
      } catch (error) {
        if (error instanceof StackError && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
          return undefined;
        }
        throw error;
      }
    };
    let output = await version();
    if (output === undefined) {
      await this.ensureAptPackages([`openjdk-${JAVA_MAJOR}-jre-headless`], `Java ${JAVA_MAJOR} (java)`);
      output = await version();
    }
    const major = output === undefined ? undefined : parseJavaMajor(output);
    if (major === undefined || major < JAVA_MAJOR) {
      throw new StackError(
        StackErrorCode.MissingPrerequisite,
        `Kafka 4 and Apicurio need Java ${JAVA_MAJOR}+ as \`${this.settings.javaBin}\`; found ${major ?? 'none'}. ` +
          `Install it with: sudo apt-get install -y openjdk-${JAVA_MAJOR}-jre-headless`,
      );
    }
  }

  private async withProgress<T>(description: string, task: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.logger.info(`${description}…`);
    const heartbeat = setInterval(() => {
      this.logger.info(`${description}: still working (${Math.round((Date.now() - started) / 1000)} s)`);
    }, 15_000);
    try {
      const result = await task();
      this.logger.info(`${description}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return result;
    } finally {
      clearInterval(heartbeat);
    }
  }
}
