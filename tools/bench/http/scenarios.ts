import { caseListScenario } from './case-list';
import { intakeSubmissionScenario } from './intake';
import type { HttpScenario } from './scenario';
import { signInScenario } from './sign-in';

/**
 * The API's load scenarios. Each issue adds its own (case list, intake, sign-in…).
 * `ready` is the floor: the cheapest route that touches PostgreSQL, against the same SQL on a
 * bare Fastify + pg handler. It has no budget of its own: it shows the framework's fixed cost
 * per request, which the budgeted scenarios pay too.
 */
export const httpScenarios: HttpScenario[] = [
  {
    name: 'GET /api/ready (SELECT 1)',
    method: 'GET',
    path: '/api/ready',
    connections: 50,
    baseline: { sql: 'SELECT 1' },
  },
  caseListScenario,
  intakeSubmissionScenario,
  signInScenario,
];
