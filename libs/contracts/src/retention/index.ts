export * from './retention';
export * from './lockdown-code';
export * from './routes';
