import {
  REFERRAL_STATUSES,
  TERMINAL_REFERRAL_STATUSES,
  type ReferralActor,
  type ReferralStatus,
} from '@haven/contracts';
import { decideTransition, ENDS_PACKET_ACCESS, isLegalTransition } from './referral-state';

/** The agreed table (docs/referrals.md), written out independently of the implementation. */
const LEGAL: ReadonlyArray<[ReferralStatus, ReferralStatus, readonly ReferralActor[]]> = [
  ['proposed', 'assigned', ['coordinator']],
  ['proposed', 'rejected', ['coordinator']],
  ['proposed', 'cancelled', ['proposer', 'coordinator']],
  ['assigned', 'accepted', ['assignee']],
  ['assigned', 'declined', ['assignee']],
  ['assigned', 'revoked', ['coordinator']],
  ['assigned', 'cancelled', ['coordinator']],
  ['declined', 'assigned', ['coordinator']],
  ['declined', 'cancelled', ['coordinator']],
  ['accepted', 'in_progress', ['assignee']],
  ['accepted', 'revoked', ['coordinator']],
  ['accepted', 'cancelled', ['coordinator']],
  ['in_progress', 'completed', ['assignee']],
  ['in_progress', 'failed', ['assignee']],
  ['in_progress', 'revoked', ['coordinator']],
];
const ALL_ACTORS: readonly ReferralActor[] = ['coordinator', 'proposer', 'assignee'];
const legalKey = new Set(LEGAL.map(([f, t]) => `${f}>${t}`));
const ILLEGAL = REFERRAL_STATUSES.flatMap((from) =>
  REFERRAL_STATUSES.filter((to) => !legalKey.has(`${from}>${to}`)).map(
    (to) => [from, to] as [ReferralStatus, ReferralStatus],
  ),
);

describe('referral state machine', () => {
  it('covers every pair of statuses: 15 legal, the other 85 illegal', () => {
    expect(LEGAL).toHaveLength(15);
    expect(ILLEGAL).toHaveLength(REFERRAL_STATUSES.length ** 2 - 15);
  });

  it.each(LEGAL)('%s → %s is allowed for %j', (from, to, actors) => {
    expect(isLegalTransition(from, to)).toBe(true);
    for (const actor of actors) {
      expect(decideTransition(from, to, [actor])).toMatchObject({ ok: true });
    }
  });

  it.each(LEGAL)('%s → %s is refused with 403 for anyone else', (from, to, actors) => {
    for (const actor of ALL_ACTORS.filter((a) => !actors.includes(a))) {
      const decision = decideTransition(from, to, [actor]);
      expect(decision).toMatchObject({ ok: false, status: 403 });
    }
    expect(decideTransition(from, to, [])).toMatchObject({ ok: false, status: 403 });
  });

  it.each(ILLEGAL)('%s → %s is refused with 409 and a message, whoever asks', (from, to) => {
    expect(isLegalTransition(from, to)).toBe(false);
    for (const actors of [[], ...ALL_ACTORS.map((a) => [a]), ALL_ACTORS]) {
      expect(decideTransition(from, to, actors)).toEqual({
        ok: false,
        status: 409,
        message: `A referral that is ${from} cannot become ${to}`,
      });
    }
  });

  it('has exactly the agreed terminal statuses', () => {
    expect([...TERMINAL_REFERRAL_STATUSES].sort()).toEqual(
      ['cancelled', 'completed', 'failed', 'rejected', 'revoked'].sort(),
    );
  });

  it('asks for a note exactly on reject, decline, complete and fail', () => {
    const withNote = LEGAL.filter(([f, t, a]) => {
      const d = decideTransition(f, t, a);
      return d.ok && d.noteRequired;
    }).map(([, t]) => t);
    expect([...new Set(withNote)].sort()).toEqual(
      ['completed', 'declined', 'failed', 'rejected'].sort(),
    );
  });

  it('ends packet access on every way out of assigned/accepted/in_progress but acceptance', () => {
    expect([...ENDS_PACKET_ACCESS].sort()).toEqual(
      ['cancelled', 'completed', 'declined', 'failed', 'revoked'].sort(),
    );
  });
});
