import { Module } from '@nestjs/common';
import { CASE_RELATION_RESOLVER } from '../access/case-relation';
import { CaseAccessService } from './case-access.service';
import { CaseQueriesService } from './case-queries.service';
import { CaseRelationResolverService } from './case-relation.resolver';
import { CaseStore } from './case-store';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { IndexKeyService } from './index-key.service';

/**
 * Cases and the contact log (docs/cases.md). Also provides the case-relation resolver that the
 * global access guard looks up (non-strictly) for routes with a `case` policy.
 */
@Module({
  controllers: [CasesController],
  providers: [
    CaseStore,
    CasesService,
    CaseAccessService,
    CaseQueriesService,
    IndexKeyService,
    CaseRelationResolverService,
    { provide: CASE_RELATION_RESOLVER, useExisting: CaseRelationResolverService },
  ],
  // Referrals live on cases and reach them the same way (withCase, grants, envelopes).
  exports: [CaseStore],
})
export class CasesModule {}
