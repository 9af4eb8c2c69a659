export * from './generated/contracts';
export * from './topics';
export * from './topic-records';
export * from './feature-state';
export * from './feature-state.rules';
export * from './yaml-source.reader';
export * from './coded.error';
export * from './seeded-random';
