import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TokenSigner } from '@argus/auth';
import { Role, type Actor } from '@argus/case';
import { CaseStore } from '@argus/case-store';
import { CaseApiError, CaseApiErrorCode } from './case-api.errors';

/** What the API reads of a Fastify request, and what the guard adds to it. */
export interface CaseApiRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

const ROLES = 'argus:case:roles';
const PUBLIC = 'argus:case:public';

/** The roles a route admits (every signed-in user when absent). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** A route open to anyone (login, the API description). */
export const Public = () => SetMetadata(PUBLIC, true);

/** The signed-in user of the request (set by CaseAuthGuard). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<CaseApiRequest>().actor;
  if (actor === undefined) throw new Error('CurrentActor used on a public route');
  return actor;
});

/**
 * Every case API call carries a session token (`Authorization: Bearer <token>` from POST /v1/auth/login).
 * The token is verified (401), the user must still exist and be enabled — a disabled user's tokens stop
 * working at once — and hold one of the route's roles (403).
 */
@Injectable()
export class CaseAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenSigner) private readonly tokens: TokenSigner,
    @Inject(CaseStore) private readonly store: CaseStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC, targets) === true) return true;
    const request = context.switchToHttp().getRequest<CaseApiRequest>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (match === null)
      throw new CaseApiError(CaseApiErrorCode.UNAUTHENTICATED, 'log in first: send "Authorization: Bearer <token>"');
    const claims = await this.tokens.verify(match[1]!);
    const user = await this.store.findUser(claims.subject);
    if (user === null || user.disabled)
      throw new CaseApiError(CaseApiErrorCode.UNAUTHENTICATED, 'this user no longer has access');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles !== undefined && !roles.includes(user.role))
      throw new CaseApiError(CaseApiErrorCode.FORBIDDEN, `this needs the role ${roles.join(' or ')}`);
    request.actor = { id: user.id, role: user.role };
    return true;
  }
}
