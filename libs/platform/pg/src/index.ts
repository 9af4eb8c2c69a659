export * from './pg.errors';
export * from './pg.settings';
export * from './pg.pool';
export * from './pg.transaction';
export * from './pg.migrator';
export * from './pg.migrations.locator';
