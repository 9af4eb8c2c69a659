import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderServerProperties, stackPaths } from './config.renderer';
import { type HealthResult, probeKafka } from './health.checks';
import { ProcessComponent } from './process.component';
import { type DetachedProcessSpec, runCommand } from './process.supervisor';
import { withStackLock } from './stack.lock';
import { stackUrls } from './stack.settings';

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding (22 characters), as Kafka's Uuid prints it.
 * Kafka avoids ids starting with '-' because command lines would take them for an option.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Single-node Kafka (broker + KRaft controller) run from the jars Maven resolves; see deploy/local/kafka. */
export class KafkaComponent extends ProcessComponent {
  readonly name = 'kafka';
  protected readonly processMarker = 'kafka.Kafka';

  get address(): string {
    return stackUrls(this.settings).kafkaBrokers.join(',');
  }

  protected get port(): number {
    return this.settings.kafka.port;
  }

  protected get readyTimeoutMs(): number {
    return this.settings.timeouts.kafkaReadyMs;
  }

  private get paths() {
    const base = stackPaths(this.settings);
    return {
      ...base,
      pom: join(this.settings.deployDir, 'kafka', 'pom.xml'),
      template: join(this.settings.deployDir, 'kafka', 'server.properties.template'),
      log4j: join(this.settings.deployDir, 'kafka', 'log4j2.properties'),
      serverProperties: join(base.kafka, 'server.properties'),
      clusterIdFile: join(base.kafka, 'cluster.id'),
      installedMarker: join(base.kafkaLibs, '.installed'),
    };
  }

  /** Identifies what is in libs/: the Kafka version and the pom that resolved it. */
  private installFingerprint(): string {
    const pom = readFileSync(this.paths.pom);
    return `${this.settings.kafka.version} ${createHash('sha256').update(pom).digest('hex').slice(0, 16)}`;
  }

  protected async install(): Promise<void> {
    await this.context.installer.ensureJava();
    const { kafkaLibs, installedMarker, pom } = this.paths;
    const fingerprint = this.installFingerprint();
    const installed = () => existsSync(installedMarker) && readFileSync(installedMarker, 'utf8').trim() === fingerprint;
    if (installed()) return;
    // The runtime folder is shared by stack instances: one download, the others wait for it.
    await withStackLock(
      `${kafkaLibs}.lock`,
      { timeoutMs: this.settings.timeouts.installMs, logger: this.logger, purpose: 'downloading the Kafka jars' },
      async () => {
        if (installed()) return;
        // Resolve into a scratch folder and swap it in: an interrupted download never looks installed.
        const scratch = `${kafkaLibs}.partial`;
        rmSync(scratch, { recursive: true, force: true });
        await this.context.installer.maven(
          [
            '-q',
            '-f',
            pom,
            `-Dkafka.version=${this.settings.kafka.version}`,
            'dependency:copy-dependencies',
            '-DincludeScope=runtime',
            `-DoutputDirectory=${scratch}`,
          ],
          `downloading Kafka ${this.settings.kafka.version} jars from Maven Central (first run only)`,
          this.settings.repoRoot,
        );
        rmSync(kafkaLibs, { recursive: true, force: true });
        renameSync(scratch, kafkaLibs);
        writeFileSync(installedMarker, `${fingerprint}\n`);
      },
    );
  }

  protected async prepare(): Promise<DetachedProcessSpec> {
    const paths = this.paths;
    mkdirSync(paths.kafkaData, { recursive: true });
    writeFileSync(paths.serverProperties, renderServerProperties(readFileSync(paths.template, 'utf8'), this.settings));
    // Formatting costs a JVM start: only when the log dir was never formatted. The id is kept so that a wiped
    // data dir is formatted again into the same cluster.
    if (!existsSync(join(paths.kafkaData, 'meta.properties'))) {
      if (!existsSync(paths.clusterIdFile)) writeFileSync(paths.clusterIdFile, `${newClusterId()}\n`);
      const clusterId = readFileSync(paths.clusterIdFile, 'utf8').trim();
      this.logger.info({ component: this.name, clusterId }, 'formatting Kafka storage');
      await runCommand({
        command: this.settings.javaBin,
        args: [
          ...this.jvmOptions(256),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          paths.serverProperties,
          '--ignore-formatted',
        ],
        cwd: paths.kafka,
        timeoutMs: 120_000,
        logFile: this.logFile,
      });
    }
    return {
      command: this.settings.javaBin,
      args: [
        ...this.jvmOptions(this.settings.kafka.heapMb),
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:InitiatingHeapOccupancyPercent=35',
        '-XX:+ExplicitGCInvokesConcurrent',
        'kafka.Kafka',
        paths.serverProperties,
      ],
      cwd: paths.kafka,
      logFile: this.logFile,
      pidFile: this.pidFile,
    };
  }

  private jvmOptions(heapMb: number): string[] {
    return [
      `-Xms${Math.min(heapMb, 256)}m`,
      `-Xmx${heapMb}m`,
      '-Djava.awt.headless=true',
      `-Djava.io.tmpdir=${this.paths.kafka}`,
      `-Dlog4j2.configurationFile=${this.paths.log4j}`,
      '-cp',
      // The JVM expands the wildcard itself; no shell is involved.
      `${this.paths.kafkaLibs}/*`,
    ];
  }

  protected probe(): Promise<HealthResult> {
    return probeKafka(stackUrls(this.settings).kafkaBrokers);
  }
}
