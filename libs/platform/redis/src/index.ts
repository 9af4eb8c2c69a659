export * from './idempotency.guard';
export * from './redis.client';
export * from './redis.errors';
export * from './redis.keyspace';
export * from './redis-url.parser';
export * from './slot.pipeline';
