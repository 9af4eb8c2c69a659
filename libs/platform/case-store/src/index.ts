export * from './case-store.errors';
export * from './case-store.types';
export * from './case.dashboard';
export * from './case.store';
export * from './case-migrations.locator';
