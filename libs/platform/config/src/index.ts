export * from './config';
export * from './common.settings';
