// Imported first by main.ts: telemetry must be running before anything it instruments is loaded.
import { startTelemetry } from '@argus/telemetry';

startTelemetry('argus-case', Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT));
