export const SchemaRegistryErrorCode = {
  /** The value does not start with the Confluent wire-format magic byte 0. */
  BAD_MAGIC_BYTE: 'BAD_MAGIC_BYTE',
  /** The value names a schema id the registry does not know. */
  UNKNOWN_SCHEMA_ID: 'UNKNOWN_SCHEMA_ID',
  /** The bytes do not decode with the writer schema they claim. */
  MALFORMED_AVRO: 'MALFORMED_AVRO',
  /** The writer schema cannot be read as this topic's record (another record, or incompatible). */
  INCOMPATIBLE_SCHEMA: 'INCOMPATIBLE_SCHEMA',
  /** The record has no value (tombstone) on a topic that needs one. */
  EMPTY_VALUE: 'EMPTY_VALUE',
  /** A value does not match the schema it is being encoded with (a bug on the producing side). */
  INVALID_VALUE: 'INVALID_VALUE',
  /** The registry refused a schema (usually a BACKWARD-incompatible change). */
  REGISTRATION_REFUSED: 'REGISTRATION_REFUSED',
  /** The registry could not be reached; retry rather than dead-letter. */
  REGISTRY_UNAVAILABLE: 'REGISTRY_UNAVAILABLE',
  /** encode() before registerTopics() for that topic. */
  NOT_REGISTERED: 'NOT_REGISTERED',
} as const;
export type SchemaRegistryErrorCode = (typeof SchemaRegistryErrorCode)[keyof typeof SchemaRegistryErrorCode];

export class SchemaRegistryError extends Error {
  constructor(
    readonly code: SchemaRegistryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SchemaRegistryError';
  }

  /** Transient: the record is fine, the infrastructure is not. Never dead-letter these. */
  get retryable(): boolean {
    return this.code === SchemaRegistryErrorCode.REGISTRY_UNAVAILABLE;
  }
}
