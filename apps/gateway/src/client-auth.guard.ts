import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { WatchedFile } from '@argus/service-kit';
import type { ApiClient, ApiClients, ApiScope } from './api-clients.parser';
import { authenticate, presentedKey } from './api-key.authenticator';
import { GatewayError, GatewayErrorCode } from './gateway.errors';
import { ClientRateLimiter } from './token-bucket.limiter';

/** Injection token of the watched API clients file. */
export const CLIENTS_FILE = Symbol('CLIENTS_FILE');

/** What the gateway reads of a Fastify request, and what the guard adds to it. */
export interface GatewayRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  apiClient?: ApiClient;
}

const REQUIRED_SCOPE = 'argus:gateway:required-scope';

/** The scope a route requires of its caller. */
export const RequireScope = (scope: ApiScope) => SetMetadata(REQUIRED_SCOPE, scope);

/** The authenticated client of the request (set by ClientAuthGuard). */
export const CurrentClient = createParamDecorator((_data: unknown, context: ExecutionContext): ApiClient => {
  const client = context.switchToHttp().getRequest<GatewayRequest>().apiClient;
  if (client === undefined) throw new Error('CurrentClient used on a route without ClientAuthGuard');
  return client;
});

/**
 * Authenticates the API key (401), checks the route's scope (403), then takes a token from the client's
 * bucket (429). The clients file is read from its WatchedFile on every request, so a revoked key stops
 * working as soon as the file is reloaded.
 */
@Injectable()
export class ClientAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(CLIENTS_FILE) private readonly clients: WatchedFile<ApiClients>,
    @Inject(ClientRateLimiter) private readonly limiter: ClientRateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.reflector.get<ApiScope | undefined>(REQUIRED_SCOPE, context.getHandler());
    if (scope === undefined) throw new Error(`route ${context.getHandler().name} has no @RequireScope`);
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    const key = presentedKey(request.headers);
    if (key === null) {
      throw new GatewayError(
        GatewayErrorCode.UNAUTHENTICATED,
        'an API key is required: send "Authorization: Bearer <key>" or "X-Api-Key: <key>"',
      );
    }
    const client = authenticate(this.clients.value.clients, key);
    if (client === null) throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'unknown API key');
    if (!client.scopes.has(scope)) {
      throw new GatewayError(GatewayErrorCode.FORBIDDEN, `client ${client.id} does not have the ${scope} scope`);
    }
    const rate = this.limiter.take(client);
    if (!rate.allowed) {
      throw new GatewayError(
        GatewayErrorCode.RATE_LIMITED,
        `client ${client.id} is above its rate of ${client.ratePerSecond}/s (burst ${client.burst})`,
        { retryAfterMs: rate.retryAfterMs },
      );
    }
    request.apiClient = client;
    return true;
  }
}
