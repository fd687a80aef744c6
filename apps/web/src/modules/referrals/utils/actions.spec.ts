import {
  REFERRAL_NOTE_REQUIRED,
  REFERRAL_STATUSES,
  REFERRAL_TRANSITIONS,
  type ReferralStatus,
} from '@haven/contracts';
import { ASSIGNEE_NOTE_REQUIRED, assigneeActions, boardActions } from './actions';

const STAFF_TARGET = { reject: 'rejected', revoke: 'revoked', cancel: 'cancelled' } as const;

/** Every change the shared state machine allows `actor` from `from`. */
function allowed(from: ReferralStatus, actor: 'coordinator' | 'assignee'): ReferralStatus[] {
  return Object.entries(REFERRAL_TRANSITIONS[from])
    .filter(([, actors]) => actors?.includes(actor))
    .map(([to]) => to as ReferralStatus)
    .sort();
}

describe('the buttons offered follow the state machine exactly', () => {
  it('offers a coordinator every change the machine allows them, and no other', () => {
    for (const status of REFERRAL_STATUSES) {
      const actions = boardActions(status);
      const offered = [
        ...(actions.assign ? ['assigned' as const] : []),
        ...actions.staff.map((a) => STAFF_TARGET[a]),
      ].sort();
      expect({ status, offered }).toEqual({ status, offered: allowed(status, 'coordinator') });
    }
  });

  it('offers an assignee every change the machine allows them, and no other', () => {
    for (const status of REFERRAL_STATUSES) {
      expect({ status, offered: [...assigneeActions(status)].sort() }).toEqual({
        status,
        offered: allowed(status, 'assignee'),
      });
    }
  });

  it('asks the assignee for a note exactly where the contract requires one', () => {
    const assigneeTargets = new Set(REFERRAL_STATUSES.flatMap((s) => assigneeActions(s)));
    expect([...ASSIGNEE_NOTE_REQUIRED].sort()).toEqual(
      REFERRAL_NOTE_REQUIRED.filter((s) => assigneeTargets.has(s as never)).sort(),
    );
  });
});
