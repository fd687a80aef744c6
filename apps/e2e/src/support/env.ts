/**
 * Where the browser tests find Haven. The launcher is started on its own ports so that a
 * developer's running `npm start` (4200/4300/3000) is never reused or disturbed.
 */
export const PORTS = { web: 4210, intake: 4310, api: 3010 } as const;

export const WEB_ORIGIN = `http://127.0.0.1:${PORTS.web}`;
export const INTAKE_ORIGIN = `http://127.0.0.1:${PORTS.intake}`;

/** The neutral site the intake page's quick exit leaves for (apps/intake/src/quick-exit.ts). */
export const QUICK_EXIT_URL = 'https://www.wikipedia.org/';
