export * from './audit-store.errors';
export * from './audit-store.types';
export * from './audit-migrations.locator';
export * from './audit.store';
