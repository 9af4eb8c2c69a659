export * from './case-store.errors';
export * from './case-store.types';
export * from './case.store';
export * from './case-migrations.locator';
