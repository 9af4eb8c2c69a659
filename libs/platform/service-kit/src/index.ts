export * from './health.controller';
export * from './service.bootstrap';
export * from './watched-file';
export * from './service.providers';
