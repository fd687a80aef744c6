import { STAFF_ROLES } from '../../modules/auth/utils/roles';
import { NAV_ITEMS, navItemsFor, type NavItem } from './nav-items';

const ids = (items: readonly NavItem[]) => items.map((item) => item.id);

describe('navItemsFor', () => {
  it('shows an anonymous visitor only "Sign in"', () => {
    expect(ids(navItemsFor('anonymous'))).toEqual(['signIn']);
  });

  it('gives each role its own sections, in menu order', () => {
    expect(ids(navItemsFor('caseworker'))).toEqual([
      'home',
      'cases',
      'followUps',
      'referrals',
      'account',
    ]);
    expect(ids(navItemsFor('coordinator'))).toEqual([
      'home',
      'cases',
      'followUps',
      'intake',
      'referrals',
      'partners',
      'reports',
      'purgeRequests',
      'account',
    ]);
    // A partner's shell is the referral list alone.
    expect(ids(navItemsFor('partner'))).toEqual(['referrals']);
    expect(ids(navItemsFor('auditor'))).toEqual(['home', 'audit', 'reports', 'account']);
    expect(ids(navItemsFor('admin'))).toEqual([
      'home',
      'partners',
      'users',
      'retention',
      'account',
    ]);
  });

  it('never offers "Sign in" to a signed-in role', () => {
    for (const role of STAFF_ROLES) expect(ids(navItemsFor(role))).not.toContain('signIn');
  });

  it('keeps case content sections away from auditors and admins', () => {
    for (const role of ['auditor', 'admin'] as const) {
      expect(ids(navItemsFor(role))).not.toEqual(expect.arrayContaining(['cases']));
      expect(ids(navItemsFor(role))).not.toEqual(expect.arrayContaining(['intake']));
      expect(ids(navItemsFor(role))).not.toEqual(expect.arrayContaining(['referrals']));
    }
  });

  it('keeps partners away from cases, follow-ups, intake and the partner directory', () => {
    for (const id of ['cases', 'followUps', 'intake', 'partners', 'users', 'audit', 'reports']) {
      expect(ids(navItemsFor('partner'))).not.toContain(id);
    }
  });

  it('shows an entry with no audience to nobody', () => {
    const hidden: NavItem = { id: 'x', path: '/x', labelKey: 'nav.home', audience: [] };
    for (const who of [...STAFF_ROLES, 'anonymous'] as const) {
      expect(navItemsFor(who, [hidden])).toEqual([]);
    }
  });
});

describe('NAV_ITEMS', () => {
  it('has unique ids and paths', () => {
    expect(new Set(NAV_ITEMS.map((i) => i.id)).size).toBe(NAV_ITEMS.length);
    expect(new Set(NAV_ITEMS.map((i) => i.path)).size).toBe(NAV_ITEMS.length);
  });
});
