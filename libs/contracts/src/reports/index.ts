export * from './reports';
export * from './routes';
