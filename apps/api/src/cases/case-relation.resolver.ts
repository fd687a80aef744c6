import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CASE_CODE_PATTERN } from '@haven/contracts';
import type { DataSource } from 'typeorm';
import type { Caller } from '../access/caller';
import type { CaseRelationResolver } from '../access/case-relation';
import type { CaseRelation } from '../access/policy.decorator';
import { AuditService } from '../audit/audit.service';

const RELATION_SQL: Readonly<Record<CaseRelation, string>> = {
  grantee: `SELECT 1 FROM case_file c JOIN case_grant g ON g.case_id = c.id AND g.user_id = $2
             WHERE c.code = $1`,
  assignee: 'SELECT 1 FROM case_file c WHERE c.code = $1 AND c.assignee_id = $2',
  supervisor: 'SELECT 1 FROM case_file c WHERE c.code = $1 AND c.supervisor_id = $2',
};

/**
 * The access guard's view of cases. Case routes name a case by its code (`:code`); the guard
 * asks here whether the caller holds the relation the route's policy requires and answers 404
 * when not. Refusals are audited (`denied:not_found`, target = the code asked for, which is a
 * random code, never content). The services check again inside their transactions, so a grant
 * removed between the guard and the write still refuses the write.
 */
@Injectable()
export class CaseRelationResolverService implements CaseRelationResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async hasRelation(caller: Caller, code: string, relation: CaseRelation): Promise<boolean> {
    const wellFormed = typeof code === 'string' && CASE_CODE_PATTERN.test(code);
    const found = wellFormed
      ? await this.dataSource.query<unknown[]>(RELATION_SQL[relation], [code, caller.userId])
      : [];
    if (found.length > 0) return true;
    await this.audit.recordNow({
      actor: { id: caller.userId, role: caller.role },
      action: 'case.access',
      target: wellFormed ? code : null,
      outcome: 'denied:not_found',
    });
    return false;
  }
}
