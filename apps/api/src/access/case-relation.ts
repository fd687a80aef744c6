import type { Caller } from './caller';
import type { CaseRelation } from './policy.decorator';

/**
 * Answers whether a caller has a relation to a case. The cases feature registers one under
 * CASE_RELATION_RESOLVER; until it does, every case route answers 404 to everyone.
 */
export interface CaseRelationResolver {
  hasRelation(caller: Caller, caseId: string, relation: CaseRelation): Promise<boolean>;
}

export const CASE_RELATION_RESOLVER = Symbol('CASE_RELATION_RESOLVER');
