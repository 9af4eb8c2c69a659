import { Controller, Inject } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { CaseIntakeService } from '@argus/cases';
import type { Decision, Label, StepUpResult } from '@argus/contracts';
import type { ConsumedRecord } from '@argus/kafka';
import { LOGGER } from '@argus/service-kit';
import type { Logger } from '@argus/logger';
import { OutboxRelay } from './outbox.relay';

/**
 * The case service's Kafka handlers (AvroBatchTransport: one consumer group per topic, a decoded batch per
 * call, offsets committed when the handler resolves). After each batch the outbox relay is woken, so a case's
 * events reach `case-events` at once.
 */
@Controller()
export class CaseIntakeController {
  constructor(
    @Inject(CaseIntakeService) private readonly intake: CaseIntakeService,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern('decisions', { group: 'argus-case' })
  async onDecisions(records: readonly ConsumedRecord<Decision>[]): Promise<void> {
    const tally = await this.intake.onDecisions(records.map((record) => record.value));
    if (tally.opened + tally.joined > 0) {
      this.logger.debug(tally, 'decisions taken into cases');
      this.relay.wake();
    }
  }

  @EventPattern('stepUpResults', { group: 'argus-case-step-up-results' })
  async onStepUps(records: readonly ConsumedRecord<StepUpResult>[]): Promise<void> {
    if ((await this.intake.onStepUps(records.map((record) => record.value))) > 0) this.relay.wake();
  }

  @EventPattern('labels', { group: 'argus-case-labels' })
  async onLabels(records: readonly ConsumedRecord<Label>[]): Promise<void> {
    if ((await this.intake.onLabels(records.map((record) => record.value))) > 0) this.relay.wake();
  }
}
