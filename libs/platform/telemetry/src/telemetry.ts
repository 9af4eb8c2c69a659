import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry. Call first in every main.ts, before anything else is imported, so instrumented modules
 * are patched. Spans are always created (trace ids reach the logs); they are exported over OTLP only when the
 * standard `OTEL_EXPORTER_OTLP_ENDPOINT` is set — the SDK reads its own OTEL_* variables, the one exception
 * to "only the config lib reads the environment".
 */
export function startTelemetry(serviceName: string, exportSpans: boolean): void {
  if (sdk) return;
  const spanProcessors = exportSpans ? undefined : [new tracing.NoopSpanProcessor()];
  sdk = new NodeSDK({
    serviceName,
    spanProcessors,
    instrumentations: [],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}

export const tracer = () => trace.getTracer('argus');

type Headers = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** W3C trace context of the active span, as Kafka record headers. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers, headerSetter);
  return headers;
}

/** The context a producer put in a record's headers, so a consumer's span continues the same trace. */
export function contextFromHeaders(headers: Headers | undefined): Context {
  return headers ? propagation.extract(context.active(), headers, headerGetter) : context.active();
}

/** Runs fn inside a span; records errors and always ends the span. */
export async function inSpan<T>(
  name: string,
  options: { parent?: Context; kind?: SpanKind; attributes?: Record<string, string | number | boolean> },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind, attributes: options.attributes },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Trace id of the active span, for log lines; undefined outside a span. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  const id = span?.spanContext().traceId;
  return id && id !== '00000000000000000000000000000000' ? id : undefined;
}

export { SpanKind };
