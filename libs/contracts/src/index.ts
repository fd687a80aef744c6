// Public surface of @haven/contracts: request/response schemas and the route registry shared by
// the API and the browser apps. Only zod here: no Node or framework imports.
export * from './http/route';
export * from './http/error';
export * from './system/system';
export * from './system/routes';
export * from './setup/setup';
export * from './intake/intake';
export * from './intake/triage';
export * from './access/roles';
export * from './auth/encoding';
export * from './auth/auth';
export * from './auth/routes';
export * from './sessions/sessions';
export * from './invitations/invitations';
export * from './users/users';
export * from './cases';
export * from './audit';
export * from './reports';
export * from './retention';
export * from './referrals';
export * from './routes';
