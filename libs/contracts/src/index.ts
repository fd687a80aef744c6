// Public surface of @haven/contracts: request/response schemas and the route registry shared by
// the API and the browser apps. Only zod here: no Node or framework imports.
export * from './http/route';
export * from './http/error';
export * from './system/system';
export * from './setup/setup';
export * from './access/roles';
export * from './routes';
