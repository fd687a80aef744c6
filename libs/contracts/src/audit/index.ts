export * from './audit';
export * from './routes';
