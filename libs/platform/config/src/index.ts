export * from './config';
export * from './common.settings';
export * from './pipeline.settings';
