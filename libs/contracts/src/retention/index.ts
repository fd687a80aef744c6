export * from './retention';
export * from './routes';
