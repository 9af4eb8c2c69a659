export * from './auth.errors';
export * from './password.hasher';
export * from './token.signer';
