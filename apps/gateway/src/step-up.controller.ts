import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { contextFromHeaders, inSpan, SpanKind } from '@argus/telemetry';
import type { ApiClient } from './api-clients.parser';
import { ClientAuthGuard, CurrentClient, RequireScope, type GatewayRequest } from './client-auth.guard';
import { StepUpService, type StepUpAccepted } from './step-up.service';

/**
 * `POST /v1/step-up-results`: how a REVIEW's challenge ended. 202 once queued for `step-up-results` and
 * `labels`; 400 naming every invalid field; 404 UNKNOWN_TRANSACTION; 409 NOT_A_REVIEW.
 */
@Controller('v1/step-up-results')
@UseGuards(ClientAuthGuard)
export class StepUpController {
  constructor(@Inject(StepUpService) private readonly stepUps: StepUpService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('step-up')
  report(
    @Body() body: unknown,
    @CurrentClient() client: ApiClient,
    @Req() request: GatewayRequest,
  ): Promise<StepUpAccepted> {
    return inSpan(
      'gateway step-up result',
      { parent: contextFromHeaders(request.headers), kind: SpanKind.SERVER, attributes: { 'argus.client': client.id } },
      () => this.stepUps.report(client, body),
    );
  }
}
