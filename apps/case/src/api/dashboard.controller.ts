import { CaseApiErrorFilter } from './case-api.filter';
import { Controller, Get, Inject, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { CasePolicy } from '@argus/case';
import { CaseStore } from '@argus/case-store';
import type { WatchedFile } from '@argus/service-kit';
import { CASE_POLICY } from '../case.tokens';
import { CaseAuthGuard } from './case-auth.guard';
import { DashboardResponse } from './dashboard.schemas';
import { dashboardAnswer } from './dashboard.view';
import { responseSchema } from './openapi.document';

/** The analysts' console dashboards, for any role. */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(CaseAuthGuard)
@UseFilters(CaseApiErrorFilter)
export class DashboardController {
  constructor(
    @Inject(CaseStore) private readonly store: CaseStore,
    @Inject(CASE_POLICY) private readonly policy: WatchedFile<CasePolicy>,
  ) {}

  @Get('dashboard')
  @ApiOperation({
    summary:
      'Dashboards: decisions by outcome over time and the review rate, the queues now (age, SLA), SLA breaches, analysts’ throughput, precision of dispositions per rule and score band',
  })
  @ApiQuery({ name: 'hours', required: false, description: 'The last N hours, 1–720 (default 24); by day beyond 72' })
  @ApiOkResponse({ schema: responseSchema(DashboardResponse) })
  async dashboard(@Query() query: unknown): Promise<DashboardResponse> {
    return dashboardAnswer(this.store, this.policy.value, query, Date.now());
  }
}
