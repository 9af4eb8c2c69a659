export * from './avro-batch.consumer';
export * from './avro.producer';
export * from './dead-letter.publisher';
export * from './kafka.client';
export * from './kafka.errors';
export * from './kafka.runtime';
