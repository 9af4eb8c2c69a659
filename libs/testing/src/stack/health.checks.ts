import { createConnection } from 'node:net';
import { createLogger, type Logger } from '@argus/logger';
import { createRedis, isRedisCluster, masterNodes } from '@argus/redis';
import { Kafka, logLevel } from 'kafkajs';
import { Client, type ClientConfig } from 'pg';
import { describeError } from './stack.errors';

/** Outcome of one probe. Probes never throw: a failure is `healthy: false` with the reason in `detail`. */
export interface HealthResult {
  readonly healthy: boolean;
  readonly detail: string;
}

const PROBE_TIMEOUT_MS = 3_000;

/** Whether anything accepts TCP connections on host:port (to tell "free" from "taken by something else"). */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A metadata request through the broker: what every producer and consumer does first. */
export async function probeKafka(brokers: string[]): Promise<HealthResult> {
  const kafka = new Kafka({
    clientId: 'argus-stack-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: PROBE_TIMEOUT_MS,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { healthy: true, detail: `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)` };
  } catch (error) {
    return { healthy: false, detail: `metadata request failed: ${describeError(error)}` };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The Confluent-compatible API that the services' serializers call. */
export async function probeSchemaRegistry(ccompatUrl: string): Promise<HealthResult> {
  try {
    const response = await fetch(`${ccompatUrl}/subjects`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return response.status === 200
      ? { healthy: true, detail: 'ccompat API answers' }
      : { healthy: false, detail: `GET /subjects returned HTTP ${response.status}` };
  } catch (error) {
    return { healthy: false, detail: `GET /subjects failed: ${describeError(error)}` };
  }
}

export async function probePostgres(config: ClientConfig): Promise<HealthResult> {
  const client = new Client({ ...config, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A server closing the connection emits 'error' on an idle client; unhandled, it would crash the caller.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('select 1 as ok, current_setting($1) as version', [
      'server_version',
    ]);
    return { healthy: true, detail: `PostgreSQL ${result.rows[0]?.version ?? '?'}` };
  } catch (error) {
    return { healthy: false, detail: `select 1 failed: ${describeError(error)}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

let silent: Logger | undefined;

/** The fields of an INFO or CLUSTER INFO answer (`name:value` lines). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * One server: PING and its version. A cluster (`redis+cluster://`): healthy when every master the client finds
 * says `cluster_state:ok`.
 */
export async function probeRedis(url: string): Promise<HealthResult> {
  silent ??= createLogger({ service: 'stack-probe', level: 'silent' });
  const client = createRedis(url, silent, 'argus-stack-probe', { failFast: true });
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') return { healthy: false, detail: `PING answered ${pong}` };
    const masters = await masterNodes(client);
    const version = parseInfo(await masters[0]!.info('server')).get('redis_version') ?? '?';
    if (!isRedisCluster(client)) return { healthy: true, detail: `Redis ${version}` };
    const states = await Promise.all(
      masters.map(async (master) => parseInfo(String(await master.cluster('INFO'))).get('cluster_state')),
    );
    const notOk = states.filter((state) => state !== 'ok');
    return {
      healthy: notOk.length === 0,
      detail: `Redis ${version} cluster, ${masters.length} masters, cluster_state:${notOk[0] ?? 'ok'}`,
    };
  } catch (error) {
    return { healthy: false, detail: `PING failed: ${describeError(error)}` };
  } finally {
    client.disconnect();
  }
}
