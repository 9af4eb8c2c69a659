import { CaseApiErrorFilter } from './case-api.filter';
import { Body, Controller, Get, HttpCode, Inject, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TokenSigner, verifyPassword } from '@argus/auth';
import type { Actor } from '@argus/case';
import { CaseStore } from '@argus/case-store';
import { CaseApiError, CaseApiErrorCode } from './case-api.errors';
import { LoginBody, parseRequest } from './case-api.schemas';
import { CurrentActor, Public, CaseAuthGuard } from './case-auth.guard';
import { jsonSchema, responseSchema } from './openapi.document';
import { LoginResponse, UserView } from './case-api.responses';

/** A hash of nothing anyone knows: an unknown user costs a login the same time as a wrong password. */
const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

@ApiTags('auth')
@Controller('v1')
@UseGuards(CaseAuthGuard)
@UseFilters(CaseApiErrorFilter)
export class AuthController {
  constructor(
    @Inject(CaseStore) private readonly store: CaseStore,
    @Inject(TokenSigner) private readonly tokens: TokenSigner,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in: a session token for the other calls (Authorization: Bearer <token>)' })
  @ApiBody({ schema: jsonSchema(LoginBody) })
  @ApiOkResponse({ schema: responseSchema(LoginResponse) })
  @ApiResponse({ status: 401, description: 'Unknown user, wrong password or disabled user (one answer for all)' })
  async login(@Body() body: unknown): Promise<LoginResponse> {
    const { user: id, password } = parseRequest(LoginBody, body, 'body');
    const user = await this.store.findUser(id);
    const matches = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
    if (user === null || !matches || user.disabled)
      throw new CaseApiError(CaseApiErrorCode.UNAUTHENTICATED, 'wrong user or password');
    const { token, expiresAt } = await this.tokens.issue({ subject: user.id, role: user.role });
    return {
      token,
      expires_at: new Date(expiresAt).toISOString(),
      user: { id: user.id, name: user.displayName, role: user.role },
    };
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token speaks for' })
  @ApiOkResponse({ schema: responseSchema(UserView) })
  async me(@CurrentActor() actor: Actor): Promise<UserView> {
    const user = await this.store.findUser(actor.id);
    if (user === null) throw new CaseApiError(CaseApiErrorCode.UNAUTHENTICATED, 'unknown user');
    return { id: user.id, name: user.displayName, role: user.role };
  }
}
