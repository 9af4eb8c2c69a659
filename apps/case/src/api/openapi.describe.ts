import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createLogger } from '@argus/logger';
import type { CaseConfig } from '../case.config';
import { CaseModule } from '../case.module';
import { caseApiDocument } from './openapi.document';

/**
 * The case API's description without a running service, for the console's generated client
 * (tools/generate-case-client.mjs). Nest's preview mode builds the module graph and the routes but
 * instantiates no provider, so no configuration is read and nothing connects: the document is the same one
 * the service serves at /v1/openapi.json.
 */
export async function describeCaseApi(): Promise<OpenAPIObject> {
  const logger = createLogger({ service: 'case', level: 'error' });
  const nothingIsRead = {} as CaseConfig; // preview mode never resolves the providers that would read it
  const app = await NestFactory.create(CaseModule.withConfig(nothingIsRead, logger), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return caseApiDocument(app);
  } finally {
    await app.close();
  }
}
