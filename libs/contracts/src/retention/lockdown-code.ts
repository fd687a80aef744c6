// Apart from the schemas in ./retention.ts, so the dashboard's sign-in route can recognise the
// refusal without loading the retention schemas.

/** The sign-in refusal every non-admin gets during lockdown (403, with this `code`). */
export const LOCKDOWN_CODE = 'LOCKDOWN';
export const LOCKDOWN_SIGN_IN_MESSAGE =
  'Haven is in emergency lockdown: only administrators can sign in. Contact your coordinator by your agreed safe channel.';
