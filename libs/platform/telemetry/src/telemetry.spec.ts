import { activeTraceId, contextFromHeaders, inSpan, startTelemetry, stopTelemetry, traceHeaders } from './telemetry';

describe('telemetry', () => {
  beforeAll(() => startTelemetry('telemetry-spec', false));
  afterAll(() => stopTelemetry());

  it('carries a trace across a Kafka hop through record headers', async () => {
    let producedHeaders: Record<string, string> = {};
    let producerTrace: string | undefined;
    await inSpan('produce', {}, async () => {
      producerTrace = activeTraceId();
      producedHeaders = traceHeaders();
    });
    expect(producerTrace).toMatch(/^[0-9a-f]{32}$/);
    expect(producedHeaders.traceparent).toContain(producerTrace);

    const consumedHeaders = { traceparent: Buffer.from(producedHeaders.traceparent) };
    const consumerTrace = await inSpan('consume', { parent: contextFromHeaders(consumedHeaders) }, async () =>
      activeTraceId(),
    );
    expect(consumerTrace).toBe(producerTrace);
  });

  it('ends the span and rethrows on failure', async () => {
    await expect(inSpan('fails', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(activeTraceId()).toBeUndefined();
  });
});
