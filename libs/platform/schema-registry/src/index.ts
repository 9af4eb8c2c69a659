export * from './avro.serde';
export * from './schema-registry.errors';
