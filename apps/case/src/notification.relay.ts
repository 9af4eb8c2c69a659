import type { CaseStore } from '@argus/case-store';
import type { Notification } from '@argus/case';
import { NOTIFICATIONS, type CaseIntakeService } from '@argus/cases';
import type { Logger } from '@argus/logger';
import { webhookBackoff, type WebhookClient } from '@argus/webhook';

/** A notification that keeps failing is given up on after a day (and stays in the outbox, failed_at set). */
const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The team's chat: every few seconds, announces the cases newly past their SLA (written to the outbox once
 * per case and deadline) and delivers the waiting notifications to the webhook, each retried with backoff
 * while the webhook fails. A notification is marked sent as soon as the webhook accepted it; a crash in
 * between those two steps is the only way one is ever posted twice.
 */
export class NotificationRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: CaseStore,
    private readonly intake: CaseIntakeService,
    private readonly webhook: WebhookClient,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
  }

  wake(): void {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    try {
      const breaches = await this.intake.announceBreaches();
      const tally = await this.store.deliverOutbox(
        NOTIFICATIONS,
        (message) => this.webhook.post({ text: (message.payload as Notification).text }),
        { now: Date.now(), backoff: webhookBackoff, giveUpAfterMs: GIVE_UP_AFTER_MS },
      );
      if (breaches + tally.sent + tally.retried + tally.abandoned > 0)
        this.logger.info({ breaches, ...tally, webhook: this.webhook.host }, 'chat notifications');
      if (tally.abandoned > 0)
        this.logger.error({ abandoned: tally.abandoned }, 'chat notifications given up on after a day of failures');
    } catch (error) {
      this.logger.warn({ err: error }, 'notification pass failed; tried again at the next');
    }
  }
}
