import { Controller, Get, Inject } from '@nestjs/common';
import { ModelCatalog, type CatalogStatus } from '@argus/decisioning';
import { ScoringService, type ScoringCounters } from './scoring.service';

@Controller('v1/scoring')
export class ModelsController {
  constructor(
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(ScoringService) private readonly scoring: ScoringService,
  ) {}

  /** The models being served, the ones refused and why, and when the registry was last checked. */
  @Get('models')
  models(): CatalogStatus {
    return this.catalog.status();
  }

  @Get('stats')
  stats(): ScoringCounters {
    return this.scoring.counters;
  }
}
