import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stackPaths } from './config.renderer';
import { type HealthResult, probeSchemaRegistry } from './health.checks';
import { ProcessComponent } from './process.component';
import { type DetachedProcessSpec, runCommand } from './process.supervisor';
import { StackError, StackErrorCode } from './stack.errors';
import { withStackLock } from './stack.lock';
import { stackUrls } from './stack.settings';

/**
 * Apicurio Registry with its Confluent-compatible API (`/apis/ccompat/v7`), H2 storage on disk, run from the
 * runnable archive Apicurio publishes on Maven Central. Settings: deploy/local/apicurio/application.properties.
 */
export class SchemaRegistryComponent extends ProcessComponent {
  readonly name = 'schema-registry';
  protected readonly processMarker = 'apicurio-registry-app';

  get address(): string {
    return stackUrls(this.settings).schemaRegistryUrl;
  }

  protected get port(): number {
    return this.settings.registry.port;
  }

  protected get readyTimeoutMs(): number {
    return this.settings.timeouts.registryReadyMs;
  }

  private get appDir(): string {
    return stackPaths(this.settings).registryApp;
  }

  /** 3.0.x ships a legacy runner jar next to lib/; later releases a quarkus-app/ fast-jar layout. */
  private findRunnerJar(): string | undefined {
    if (!existsSync(this.appDir)) return undefined;
    const fastJar = join(this.appDir, 'quarkus-app', 'quarkus-run.jar');
    if (existsSync(fastJar)) return fastJar;
    const runner = readdirSync(this.appDir).find((file) => file.endsWith('-runner.jar'));
    return runner === undefined ? undefined : join(this.appDir, runner);
  }

  protected async install(): Promise<void> {
    await this.context.installer.ensureJava();
    if (this.findRunnerJar() !== undefined) return;
    // The runtime folder is shared by stack instances: one download, the others wait for it.
    await withStackLock(
      `${this.appDir}.lock`,
      { timeoutMs: this.settings.timeouts.installMs, logger: this.logger, purpose: 'downloading Apicurio Registry' },
      async () => {
        if (this.findRunnerJar() !== undefined) return;
        const { version } = this.settings.registry;
        const { downloads } = stackPaths(this.settings);
        mkdirSync(downloads, { recursive: true });
        const archive = join(downloads, `apicurio-registry-app-${version}-all.tar.gz`);
        await this.context.installer.downloadFromMavenCentral(
          {
            groupId: 'io.apicurio',
            artifactId: 'apicurio-registry-app',
            version,
            classifier: 'all',
            extension: 'tar.gz',
          },
          archive,
          `downloading Apicurio Registry ${version} from Maven Central (first run only, ~110 MB)`,
        );
        // Unpack next to the final folder and rename: an interrupted unpack never looks installed.
        const scratch = `${this.appDir}.partial`;
        rmSync(scratch, { recursive: true, force: true });
        mkdirSync(scratch, { recursive: true });
        await runCommand({ command: 'tar', args: ['-xzf', archive, '-C', scratch], timeoutMs: 300_000 });
        rmSync(this.appDir, { recursive: true, force: true });
        renameSync(scratch, this.appDir);
        // Unpacked, the archive is 100 MB of dead weight.
        rmSync(archive, { force: true });
        if (this.findRunnerJar() === undefined) {
          throw new StackError(StackErrorCode.InstallFailed, `no runnable jar found in ${this.appDir} after unpacking`);
        }
      },
    );
  }

  protected async prepare(): Promise<DetachedProcessSpec> {
    const runner = this.findRunnerJar();
    if (runner === undefined) {
      throw new StackError(StackErrorCode.InstallFailed, `Apicurio Registry is not installed in ${this.appDir}`);
    }
    const workDir = stackPaths(this.settings).registry;
    const tmp = join(workDir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const { heapMb, port } = this.settings.registry;
    return {
      command: this.settings.javaBin,
      args: [
        `-Xms64m`,
        `-Xmx${heapMb}m`,
        // A test registry: start-up time matters more than peak throughput, and one core is enough for GC.
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Djava.awt.headless=true',
        `-Djava.io.tmpdir=${tmp}`,
        `-Dquarkus.config.locations=${join(this.settings.deployDir, 'apicurio', 'application.properties')}`,
        // Schemas live on disk beside Kafka's data: records already in the topics name schema ids, and an
        // in-memory registry would hand out the same ids to other schemas after a restart.
        `-Dapicurio.datasource.url=jdbc:h2:file:${join(workDir, 'data', 'registry')};DB_CLOSE_ON_EXIT=FALSE`,
        `-Dquarkus.http.host=${this.settings.host}`,
        `-Dquarkus.http.port=${port}`,
        '-jar',
        runner,
      ],
      cwd: workDir,
      logFile: this.logFile,
      pidFile: this.pidFile,
    };
  }

  protected probe(): Promise<HealthResult> {
    return probeSchemaRegistry(stackUrls(this.settings).schemaRegistryUrl);
  }

  /**
   * Global compatibility BACKWARD, as a Confluent registry has by default. Apicurio's ccompat API reports NONE
   * for subjects without their own setting, and the Confluent client refuses to register on a subject whose
   * level differs from the one it asks for: two services registering a new subject at once would race.
   */
  protected override async afterReady(): Promise<void> {
    const url = `${stackUrls(this.settings).schemaRegistryUrl}/config`;
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'BACKWARD' }),
    });
    if (!response.ok) {
      throw new StackError(
        StackErrorCode.StartFailed,
        `could not set the registry's global compatibility to BACKWARD: HTTP ${response.status} ${await response.text()}`,
      );
    }
  }
}
