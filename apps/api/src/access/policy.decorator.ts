import { SetMetadata } from '@nestjs/common';
import type { StaffRole } from '@haven/contracts';

/**
 * Who may call a route. Deny by default: a route without a policy is refused at run time and
 * fails the route-inventory test. `public` routes need no session; role policies will be
 * enforced once sessions exist (until then they are refused).
 */
export type AccessPolicy = { readonly public: true } | { readonly roles: readonly StaffRole[] };

export const POLICY_KEY = 'haven:access-policy';

/** Put on every handler (or on its controller, where every handler shares the policy). */
export const Policy = (policy: AccessPolicy): MethodDecorator & ClassDecorator =>
  SetMetadata(POLICY_KEY, policy);

export function isPublic(policy: AccessPolicy): boolean {
  return 'public' in policy && policy.public === true;
}
