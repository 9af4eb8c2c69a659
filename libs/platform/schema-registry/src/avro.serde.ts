import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  AvroSchemas,
  Topics,
  valueSubject,
  type AvroRecordName,
  type TopicKey,
  type TopicValue,
} from '@argus/contracts';
import * as avro from 'avsc';
import { SchemaRegistryError, SchemaRegistryErrorCode as Code } from './schema-registry.errors';

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;
/** An unknown schema id is looked up again after this long, not on every record. */
const UNKNOWN_ID_RETRY_MS = 30_000;

interface Registered {
  readonly id: number;
  readonly type: avro.Type;
}

type Resolver = ReturnType<avro.Type['createResolver']>;
type WriterLookup = { resolver: Resolver | null; error: SchemaRegistryError | null; at: number };

/** Avro types parsed once per record name: parsing is the expensive part of encoding. */
const localTypes = new Map<AvroRecordName, avro.Type>();
export function avroType(record: AvroRecordName): avro.Type {
  let type = localTypes.get(record);
  if (!type) {
    type = avro.Type.forSchema(AvroSchemas[record] as unknown as avro.Schema);
    localTypes.set(record, type);
  }
  return type;
}

/**
 * The schema-registry adapter: registers each topic's value schema (from schemas/, bundled into
 * @argus/contracts), and encodes / decodes the Confluent wire format (magic byte, schema id, Avro body).
 * Decoding resolves the writer's schema into this build's reader schema, so older records still read.
 * Every failure is a typed SchemaRegistryError whose code a consumer puts in the DLQ.
 */
const REGISTER_ATTEMPTS = 5;

export class AvroSerde {
  private readonly registry: SchemaRegistry;
  private readonly registered = new Map<string, Registered>();
  private readonly writers = new Map<string, Promise<WriterLookup>>();

  constructor(readonly url: string) {
    this.registry = new SchemaRegistry({ host: url, retry: { retries: 2 } });
  }

  /** Registers (or finds, when unchanged) the value schema of each topic. Idempotent. */
  async registerTopics(topics: readonly TopicKey[]): Promise<void> {
    for (const key of topics) {
      const topic = Topics[key];
      if (this.registered.has(topic.name)) continue;
      const id = await this.registerWithRetry(valueSubject(topic.name), JSON.stringify(AvroSchemas[topic.valueRecord]));
      this.registered.set(topic.name, { id, type: avroType(topic.valueRecord) });
    }
  }

  /**
   * Registration of a new subject is not atomic in the Confluent client (look up the subject's compatibility,
   * register, then set the compatibility), so services starting together can trip over each other on the
   * same subject ("rule already exists", "compatibility does not match"). A retry sees the finished subject.
   * A schema the registry finds incompatible is refused every time and fails on the last attempt.
   */
  private async registerWithRetry(subject: string, schema: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { id } = await this.registry.register({ type: SchemaType.AVRO, schema }, { subject });
        return id;
      } catch (error) {
        if (attempt >= REGISTER_ATTEMPTS) throw classifyRegistryError(error, `register ${subject}`);
        await new Promise((resolve) => setTimeout(resolve, 150 * attempt + Math.random() * 100));
      }
    }
  }

  schemaId(topic: TopicKey): number {
    return this.mustBeRegistered(topic).id;
  }

  encode<K extends TopicKey>(topic: K, value: TopicValue<K>): Buffer {
    const { id, type } = this.mustBeRegistered(topic);
    let body: Buffer;
    try {
      body = type.toBuffer(value);
    } catch (error) {
      const paths: string[] = [];
      type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) });
      throw new SchemaRegistryError(
        Code.INVALID_VALUE,
        `value does not match ${Topics[topic].valueRecord}${paths.length ? ` at ${paths.join(', ')}` : ''}`,
        { cause: error },
      );
    }
    const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    out.writeUInt8(MAGIC_BYTE, 0);
    out.writeInt32BE(id, 1);
    body.copy(out, HEADER_BYTES);
    return out;
  }

  async decode<K extends TopicKey>(topic: K, buffer: Buffer | null): Promise<TopicValue<K>> {
    if (!buffer || buffer.length === 0) throw new SchemaRegistryError(Code.EMPTY_VALUE, 'record has no value');
    if (buffer.length < HEADER_BYTES || buffer.readUInt8(0) !== MAGIC_BYTE) {
      throw new SchemaRegistryError(
        Code.BAD_MAGIC_BYTE,
        `value does not start with the Avro wire-format magic byte 0 (first byte ${buffer.readUInt8(0)})`,
      );
    }
    const id = buffer.readInt32BE(1);
    const reader = avroType(Topics[topic].valueRecord);
    const lookup = await this.writerResolver(topic, id, reader);
    if (lookup.error) throw lookup.error;
    try {
      // The resolver is null when the writer schema is this reader's own.
      const body = buffer.subarray(HEADER_BYTES);
      return (lookup.resolver ? reader.fromBuffer(body, lookup.resolver) : reader.fromBuffer(body)) as TopicValue<K>;
    } catch (error) {
      throw new SchemaRegistryError(
        Code.MALFORMED_AVRO,
        `value does not decode with schema id ${id}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  private mustBeRegistered(topic: TopicKey): Registered {
    const registered = this.registered.get(Topics[topic].name);
    if (!registered) throw new SchemaRegistryError(Code.NOT_REGISTERED, `schema of ${topic} is not registered`);
    return registered;
  }

  private writerResolver(topic: TopicKey, id: number, reader: avro.Type): Promise<WriterLookup> {
    const cacheKey = `${topic}:${id}`;
    const cached = this.writers.get(cacheKey);
    if (cached) return cached.then((hit) => (this.stale(hit) ? this.refreshWriter(cacheKey, topic, id, reader) : hit));
    return this.refreshWriter(cacheKey, topic, id, reader);
  }

  private stale(hit: WriterLookup): boolean {
    return hit.error !== null && Date.now() - hit.at > UNKNOWN_ID_RETRY_MS;
  }

  private refreshWriter(cacheKey: string, topic: TopicKey, id: number, reader: avro.Type): Promise<WriterLookup> {
    const own = this.registered.get(Topics[topic].name);
    const lookup = (async (): Promise<WriterLookup> => {
      if (own?.id === id) return { resolver: null, error: null, at: Date.now() };
      let writer: avro.Type;
      try {
        const schema = await this.registry.getSchema(id);
        writer = avro.Type.forSchema((schema as unknown as avro.Type).schema());
      } catch (error) {
        const classified = classifyRegistryError(error, `schema id ${id}`);
        // An outage must not be cached: the next record asks again.
        if (classified.retryable) this.writers.delete(cacheKey);
        return { resolver: null, error: classified, at: Date.now() };
      }
      try {
        return { resolver: reader.createResolver(writer), error: null, at: Date.now() };
      } catch (error) {
        const message = `schema id ${id} (${writer.name ?? 'unnamed'}) cannot be read as ${Topics[topic].valueRecord}`;
        return {
          resolver: null,
          error: new SchemaRegistryError(Code.INCOMPATIBLE_SCHEMA, message, { cause: error }),
          at: Date.now(),
        };
      }
    })();
    this.writers.set(cacheKey, lookup);
    return lookup;
  }
}

function classifyRegistryError(error: unknown, what: string): SchemaRegistryError {
  const status = (error as { status?: number }).status;
  const message = (error as Error).message ?? String(error);
  if (status === 404 || /not found/i.test(message)) {
    return new SchemaRegistryError(Code.UNKNOWN_SCHEMA_ID, `${what}: unknown to the registry`, { cause: error });
  }
  if (status === 409 || status === 422) {
    return new SchemaRegistryError(Code.REGISTRATION_REFUSED, `${what}: refused by the registry (${message})`, {
      cause: error,
    });
  }
  return new SchemaRegistryError(Code.REGISTRY_UNAVAILABLE, `${what}: registry unavailable (${message})`, {
    cause: error,
  });
}
