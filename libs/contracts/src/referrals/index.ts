export * from './partners';
export * from './referrals';
export * from './routes';
