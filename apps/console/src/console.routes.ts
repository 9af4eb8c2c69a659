import { resolve } from 'node:path';
import fastifyHttpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ConsoleConfig } from './console.config';

/**
 * The console's two doors: its built web app, and /v1 forwarded to the case service, so the browser talks
 * to one origin (no CORS, the session token never leaves it). The case service authenticates every /v1 call;
 * the app's files are public (they hold no data, only the login page and the code).
 */
export async function registerConsoleRoutes(app: NestFastifyApplication, config: ConsoleConfig): Promise<void> {
  await app.register(fastifyHttpProxy, {
    upstream: config.caseApiUrl,
    prefix: '/v1',
    rewritePrefix: '/v1',
    // The case service answers within its own limits; a console that waits forever helps nobody.
    http: { requestOptions: { timeout: 15_000 } },
  });
  await app.register(fastifyStatic, {
    root: resolve(config.assetsDir),
    prefix: '/',
    index: 'index.html',
    // Hashed file names (vite) may be cached for good; index.html must not be, or a release is missed.
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      reply.header(
        'content-security-policy',
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      );
    },
  });
}
