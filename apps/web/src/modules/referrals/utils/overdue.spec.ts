import { REFERRAL_STATUSES } from '@haven/contracts';
import { daysBetween, daysOverdue, today } from './overdue';

describe('daysOverdue', () => {
  const day = '2026-11-22';

  it('counts the days an open referral is past its due day', () => {
    for (const status of ['proposed', 'assigned', 'declined', 'accepted', 'in_progress'] as const) {
      expect(daysOverdue({ status, dueOn: '2026-11-21' }, day)).toBe(1);
    }
    expect(daysOverdue({ status: 'assigned', dueOn: '2026-10-22' }, day)).toBe(31);
  });

  it('is null on the due day itself, before it, and without a due day', () => {
    expect(daysOverdue({ status: 'assigned', dueOn: day }, day)).toBeNull();
    expect(daysOverdue({ status: 'assigned', dueOn: '2026-12-01' }, day)).toBeNull();
    expect(daysOverdue({ status: 'assigned', dueOn: null }, day)).toBeNull();
  });

  it('is null for every finished referral', () => {
    const finished = REFERRAL_STATUSES.filter(
      (s) => !['proposed', 'assigned', 'declined', 'accepted', 'in_progress'].includes(s),
    );
    expect(finished).toEqual(['completed', 'failed', 'rejected', 'cancelled', 'revoked']);
    for (const status of finished)
      expect(daysOverdue({ status, dueOn: '2020-01-01' }, day)).toBeNull();
  });

  it('crosses months and years', () => {
    expect(daysOverdue({ status: 'accepted', dueOn: '2025-12-31' }, '2026-01-01')).toBe(1);
    expect(daysOverdue({ status: 'accepted', dueOn: '2026-02-28' }, '2026-03-01')).toBe(1);
  });
});

describe('today and daysBetween', () => {
  it('counts UTC days', () => {
    expect(today(new Date('2026-11-22T23:59:00Z'))).toBe('2026-11-22');
    expect(daysBetween('2026-11-20', '2026-11-22')).toBe(2);
    expect(daysBetween('2026-11-22', '2026-11-20')).toBe(-2);
  });
});
