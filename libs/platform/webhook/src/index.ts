export * from './webhook.client';
