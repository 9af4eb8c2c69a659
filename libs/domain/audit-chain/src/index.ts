export * from './audit-chain.errors';
export * from './audit-chain.types';
export * from './canonical-json.serializer';
export * from './chain.linker';
export * from './chain.verifier';
export * from './audit-events.mapper';
