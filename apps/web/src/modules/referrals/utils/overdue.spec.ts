import { daysLate, isOverdue, today } from './overdue';

describe('isOverdue', () => {
  const day = '2026-11-22';

  it('flags an open referral whose due day has passed', () => {
    for (const status of ['proposed', 'assigned', 'declined', 'accepted', 'in_progress']) {
      expect(isOverdue({ status, dueOn: '2026-11-21' }, day)).toBe(true);
    }
  });

  it('does not flag the due day itself, a later day, or no due day', () => {
    expect(isOverdue({ status: 'assigned', dueOn: day }, day)).toBe(false);
    expect(isOverdue({ status: 'assigned', dueOn: '2026-12-01' }, day)).toBe(false);
    expect(isOverdue({ status: 'assigned', dueOn: null }, day)).toBe(false);
  });

  it('never flags a finished referral', () => {
    for (const status of ['completed', 'failed', 'rejected', 'cancelled', 'revoked']) {
      expect(isOverdue({ status, dueOn: '2020-01-01' }, day)).toBe(false);
    }
  });

  it('compares across months and years', () => {
    expect(isOverdue({ status: 'accepted', dueOn: '2025-12-31' }, '2026-01-01')).toBe(true);
    expect(isOverdue({ status: 'accepted', dueOn: '2026-10-31' }, '2026-11-01')).toBe(true);
  });
});

describe('today and daysLate', () => {
  it('counts UTC days', () => {
    expect(today(new Date('2026-11-22T23:59:00Z'))).toBe('2026-11-22');
    expect(daysLate('2026-11-20', '2026-11-22')).toBe(2);
    expect(daysLate('2026-11-22', '2026-11-22')).toBe(0);
    expect(daysLate('2026-02-28', '2026-03-01')).toBe(1);
  });
});
