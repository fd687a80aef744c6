/**
 * Rotates a case's key from the browser (docs/cases.md, "Rotation"): reads the case and its
 * referrals afresh, re-encrypts every record and every referral item under the case key in the
 * worker, seals the new key to every active grantee and commits it. The server refuses (409) a
 * rotation that leaves anything out, so reading both just before is what makes it complete.
 */
import { routes, type CaseDetail } from '@haven/contracts';
import { api } from '../../../api/client';
import type { CaseKeyHandle, UserHandle } from '../../crypto';
import { fetchCaseReferrals } from '../../referrals/api/referrals-api';
import { rotationFor, type Directory, type Worker } from '../crypto/case-crypto';

export async function rotateCaseKey(
  worker: Worker,
  user: UserHandle,
  directory: Directory,
  key: CaseKeyHandle,
  code: string,
  detail?: CaseDetail,
): Promise<void> {
  const fresh = detail ?? (await api.request(routes.getCase, { params: { code } }));
  const { referrals } = await fetchCaseReferrals(code);
  const body = await rotationFor(worker, user, directory, fresh, key, referrals);
  await api.request(routes.rotateCase, { params: { code }, body });
}
