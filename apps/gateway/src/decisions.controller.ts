import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { contextFromHeaders, inSpan, SpanKind } from '@argus/telemetry';
import type { ApiClient } from './api-clients.parser';
import { ClientAuthGuard, CurrentClient, RequireScope, type GatewayRequest } from './client-auth.guard';
import type { DecisionResponse } from './decision.response';
import { DecisionsService } from './decisions.service';

/**
 * `POST /v1/decisions`: one transaction (the ingestion webhook's JSON), answered APPROVE / REVIEW / BLOCK with
 * its reasons. 200 with the decision (the same one again for a retry); 400 naming every invalid field; 401 /
 * 403 / 429 from the guard; 409 for a transaction id already decided otherwise; 503 BACKPRESSURE.
 */
@Controller('v1/decisions')
@UseGuards(ClientAuthGuard)
export class DecisionsController {
  constructor(@Inject(DecisionsService) private readonly decisions: DecisionsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @RequireScope('decisions')
  decide(
    @Body() body: unknown,
    @CurrentClient() client: ApiClient,
    @Req() request: GatewayRequest,
  ): Promise<DecisionResponse> {
    const startedAt = performance.now();
    // A caller's traceparent header makes this decision part of its trace, and the Decision's Kafka headers
    // carry the same trace on to audit and the case queue.
    return inSpan(
      'gateway decide',
      { parent: contextFromHeaders(request.headers), kind: SpanKind.SERVER, attributes: { 'argus.client': client.id } },
      () => this.decisions.decide(client, body, startedAt),
    );
  }
}
