export * from './generated/contracts';
export * from './topics';
export * from './topic-records';
