export * from './idempotency.guard';
export * from './redis.client';
