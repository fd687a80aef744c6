export * from './case-code';
export * from './cases';
export * from './content';
export * from './routes';
