import type { Logger } from '@argus/logger';
import { stopTelemetry } from '@argus/telemetry';
import type { DynamicModule, INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/** Nest's own log lines, into the service's structured logger. */
class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
}

export interface ServiceOptions {
  readonly module: Type<unknown> | DynamicModule;
  readonly logger: Logger;
  readonly http: { readonly host: string; readonly port: number };
  /** Largest accepted request body, bytes. */
  readonly bodyLimit?: number;
  /**
   * NestJS microservice transports (e.g. AvroBatchTransport) whose handlers are the module's
   * `@EventPattern` methods; started once the app is up, so their consumers find the schemas registered and
   * the producer connected by the module's bootstrap hooks.
   */
  readonly transports?: (app: INestApplication) => readonly CustomTransportStrategy[];
  /** Runs once the app is created, before it listens (e.g. to generate its OpenAPI document, add plugins). */
  readonly beforeListen?: (app: NestFastifyApplication) => void | Promise<void>;
}

/**
 * Starts a service: Nest on Fastify, shutdown hooks so SIGTERM drains consumers and commits before exit,
 * and a fatal log line (then exit 1) if start-up fails. Prints the bound address for the launcher.
 */
export async function bootstrapService(options: ServiceOptions): Promise<INestApplication> {
  const { logger } = options;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      options.module,
      new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 64 * 1024 }),
      { logger: new NestLogger(logger), bufferLogs: false },
    );
    app.enableShutdownHooks();
    await options.beforeListen?.(app);
    for (const strategy of options.transports?.(app) ?? []) app.connectMicroservice({ strategy });
    await app.listen(options.http.port, options.http.host);
    await app.startAllMicroservices();
    logger.info({ address: await app.getUrl() }, 'service started');
    return app;
  } catch (error) {
    logger.fatal({ err: error }, 'service failed to start');
    await stopTelemetry();
    process.exit(1);
  }
}
