import { SetMetadata } from '@nestjs/common';
import type { StaffRole } from '@haven/contracts';

/** How a caller must relate to the case a route names (enforced by a CaseRelationResolver). */
export type CaseRelation = 'grantee' | 'assignee' | 'supervisor';

/**
 * Who may call a route. Deny by default: a route without a policy is refused at run time and
 * fails the route-inventory test.
 *
 * - `{ public: true }`: no session needed (health, sign-in, the links in invitations).
 * - `{ roles }`: a signed-in caller whose role is listed. `whileLocked` also admits a session
 *   past its idle timeout (only sign-out, unlock and "who am I" need that).
 * - `{ roles, case }`: additionally, the caller must have `case` relation to the case named by
 *   the path parameter `param` (default `caseId`); otherwise the answer is 404, the same as for
 *   a case that does not exist.
 */
export type AccessPolicy =
  | { readonly public: true }
  | { readonly roles: readonly StaffRole[]; readonly whileLocked?: true }
  | { readonly roles: readonly StaffRole[]; readonly case: CaseRelation; readonly param?: string };

export const POLICY_KEY = 'haven:access-policy';

/** Every staff role: for routes any signed-in person may use (their own account, sessions). */
export const ANY_STAFF: readonly StaffRole[] = [
  'admin',
  'coordinator',
  'caseworker',
  'partner',
  'auditor',
];

/** Put on every handler (or on its controller, where every handler shares the policy). */
export const Policy = (policy: AccessPolicy): MethodDecorator & ClassDecorator =>
  SetMetadata(POLICY_KEY, policy);

export function isPublic(policy: AccessPolicy): policy is { readonly public: true } {
  return 'public' in policy && policy.public === true;
}

export function caseRelationOf(
  policy: AccessPolicy,
): { relation: CaseRelation; param: string } | undefined {
  if (!('case' in policy)) return undefined;
  return { relation: policy.case, param: policy.param ?? 'caseId' };
}

export function admitsLocked(policy: AccessPolicy): boolean {
  return 'whileLocked' in policy && policy.whileLocked === true;
}
