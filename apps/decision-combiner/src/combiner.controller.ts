import { Controller, Get, Inject } from '@nestjs/common';
import { CombinerService, type CombinerCounters } from './combiner.service';

/** What this instance decided since it started, and how many halves wait for their partner. */
@Controller('v1/combiner')
export class CombinerController {
  constructor(@Inject(CombinerService) private readonly combiner: CombinerService) {}

  @Get('stats')
  stats(): CombinerCounters & { waiting: { ruleResults: number; scores: number } } {
    return { ...this.combiner.counters, waiting: this.combiner.waiting };
  }
}
