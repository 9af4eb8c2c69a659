import { CaseApiErrorFilter } from './case-api.filter';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor, CaseAction, CasePolicy } from '@argus/case';
import type { CaseRowStatus } from '@argus/case-store';
import { CaseWorkService } from '@argus/cases';
import type { WatchedFile } from '@argus/service-kit';
import { CASE_POLICY } from '../case.tokens';
import { ActionBody, parseRequest, QueueParams, TakeNextBody } from './case-api.schemas';
import { CurrentActor, CaseAuthGuard } from './case-auth.guard';
import { caseFileView, caseView, queueItemView } from './case-api.views';
import { jsonSchema, responseSchema } from './openapi.document';
import { CaseFileResponse, CaseView, QueueResponse, QueuesResponse } from './case-api.responses';

interface Reply {
  status(code: number): Reply;
  send(body?: unknown): void;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(CaseAuthGuard)
@UseFilters(CaseApiErrorFilter)
export class CasesController {
  constructor(
    @Inject(CaseWorkService) private readonly work: CaseWorkService,
    @Inject(CASE_POLICY) private readonly policy: WatchedFile<CasePolicy>,
  ) {}

  @Get('queues')
  @ApiOperation({ summary: 'The queues of the case policy, with their SLA and who works them' })
  @ApiOkResponse({ schema: responseSchema(QueuesResponse) })
  queues(): QueuesResponse {
    const policy = this.policy.value;
    return {
      policy_version: policy.version,
      reference_currency: policy.referenceCurrency,
      queues: policy.queues.map((queue) => ({
        id: queue.id,
        name: queue.name,
        sla_minutes: queue.slaMinutes,
        supervisors_only: queue.supervisorsOnly,
      })),
    };
  }

  @Get('cases')
  @ApiOperation({ summary: 'The queue: cases by priority (expected loss grown by SLA use) or by due time' })
  @ApiQuery({ name: 'queue', required: false, description: 'Comma-separated queue ids' })
  @ApiQuery({ name: 'status', required: false, description: 'Comma-separated statuses; default all but CLOSED' })
  @ApiQuery({ name: 'assignee', required: false })
  @ApiQuery({ name: 'card', required: false })
  @ApiQuery({ name: 'breached', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'sort', required: false, enum: ['priority', 'due'] })
  @ApiQuery({ name: 'limit', required: false, description: '1–500, default 50' })
  @ApiQuery({ name: 'offset', required: false })
  @ApiOkResponse({ schema: responseSchema(QueueResponse) })
  async list(@Query() query: unknown): Promise<QueueResponse> {
    const params = parseRequest(QueueParams, query, 'query');
    const items = await this.work.queue({
      queues: params.queue?.split(','),
      statuses: params.status?.split(',') as CaseRowStatus[] | undefined,
      assignee: params.assignee,
      cardId: params.card,
      breached: params.breached === 'true',
      sort: params.sort,
      limit: params.limit,
      offset: params.offset,
    });
    return { cases: items.map(queueItemView) };
  }

  @Post('cases/next')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take next: claims the highest-priority case nobody holds (204 when none)' })
  @ApiBody({ schema: jsonSchema(TakeNextBody), required: false })
  @ApiOkResponse({ schema: responseSchema(CaseView), description: 'The case, claimed by the caller' })
  @ApiResponse({ status: 204, description: 'Nothing to take in these queues' })
  async next(@CurrentActor() actor: Actor, @Body() body: unknown, @Res() reply: Reply) {
    const { queues } = parseRequest(TakeNextBody, body, 'body');
    const kase = await this.work.takeNext(actor, queues);
    if (kase === null) reply.status(204).send();
    else reply.status(200).send(caseView(kase));
  }

  @Get('cases/:id')
  @ApiOperation({ summary: 'A case with its alerts (decisions, reasons, factors, rules) and timeline; audited' })
  @ApiParam({ name: 'id', description: 'Case id (UUID)' })
  @ApiOkResponse({ schema: responseSchema(CaseFileResponse) })
  async open(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return caseFileView(await this.work.open(id, actor));
  }

  @Post('cases/:id/actions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Act on a case: claim, release, assign (supervisors), note, escalate, snooze, dispose, approve or reject (supervisors)',
  })
  @ApiParam({ name: 'id', description: 'Case id (UUID)' })
  @ApiBody({ schema: jsonSchema(ActionBody) })
  @ApiOkResponse({ schema: responseSchema(CaseView), description: 'The case after the action' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN (role) or FOUR_EYES (the maker cannot approve)' })
  @ApiResponse({ status: 409, description: 'CLAIMED_BY_OTHER or INVALID_STATE (e.g. the case is closed)' })
  async act(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    const action = toAction(parseRequest(ActionBody, body, 'body'));
    return caseView(await this.work.act(id, actor, action));
  }
}

function toAction(body: ActionBody): CaseAction {
  switch (body.type) {
    case 'snooze':
      return { type: 'snooze', until: Date.parse(body.until) };
    case 'dispose':
      return { type: 'dispose', disposition: body.disposition, reasonCode: body.reason_code };
    default:
      return body;
  }
}
