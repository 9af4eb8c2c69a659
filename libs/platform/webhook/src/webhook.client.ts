import { CodedError } from '@argus/contracts';

export enum WebhookErrorCode {
  /** The receiver answered, but not with a 2xx. */
  REFUSED = 'REFUSED',
  /** No answer in time, or no connection. */
  UNREACHABLE = 'UNREACHABLE',
  INVALID_URL = 'INVALID_URL',
}

export class WebhookError extends CodedError<WebhookErrorCode> {
  override readonly name = 'WebhookError';
  /** The HTTP status, when the receiver answered. */
  status: number | null = null;
}

/**
 * A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Teams' Slack-compatible connectors): a
 * JSON POST of `{ text }`. The URL is itself the credential, so it is never logged: errors name its host only.
 */
export class WebhookClient {
  private readonly url: URL;

  constructor(
    url: string,
    private readonly timeoutMs = 5_000,
  ) {
    try {
      this.url = new URL(url);
    } catch {
      throw new WebhookError(WebhookErrorCode.INVALID_URL, 'the webhook URL is not a URL');
    }
    if (this.url.protocol !== 'https:' && this.url.protocol !== 'http:')
      throw new WebhookError(WebhookErrorCode.INVALID_URL, 'the webhook URL must be http(s)');
  }

  /** Where it posts, without the secret path: for logs. */
  get host(): string {
    return this.url.host;
  }

  async post(body: { readonly text: string } & Record<string, unknown>): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new WebhookError(WebhookErrorCode.UNREACHABLE, `webhook at ${this.host} did not answer`, { cause: error });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      const error = new WebhookError(WebhookErrorCode.REFUSED, `webhook at ${this.host} answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
  }
}

/** Exponential backoff from 5 s, doubling, at most 10 minutes (attempt 1 → 5 s, 2 → 10 s, … 8 → 10 min). */
export function webhookBackoff(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
}
