/**
 * The dashboard's sections as data. Each entry lists who may see it; the shell shows only
 * the entries for the current audience, and the router guards each page with the same list,
 * so the menu and the access rules cannot drift apart. Deny by default: an entry with no
 * audience is shown to nobody.
 */
import type en from '../../locales/en.json';
import { STAFF_ROLES, type Audience } from '../../modules/auth/utils/roles';

/**
 * Everyone signed in except partners: a partner's shell is the referral list alone (their
 * organisation's packets), no home page, no other section (docs/referrals.md).
 */
const STAFF_EXCEPT_PARTNERS = STAFF_ROLES.filter((role) => role !== 'partner');

export type NavLabelKey = `nav.${keyof (typeof en)['nav']}`;

export interface NavItem {
  readonly id: string;
  readonly path: string;
  readonly labelKey: NavLabelKey;
  readonly audience: readonly Audience[];
}

export const NAV_ITEMS = [
  { id: 'home', path: '/', labelKey: 'nav.home', audience: STAFF_EXCEPT_PARTNERS },
  { id: 'cases', path: '/cases', labelKey: 'nav.cases', audience: ['caseworker', 'coordinator'] },
  {
    id: 'followUps',
    path: '/follow-ups',
    labelKey: 'nav.followUps',
    audience: ['caseworker', 'coordinator'],
  },
  { id: 'intake', path: '/intake', labelKey: 'nav.intake', audience: ['coordinator'] },
  {
    id: 'referrals',
    path: '/referrals',
    labelKey: 'nav.referrals',
    audience: ['caseworker', 'coordinator', 'partner'],
  },
  {
    id: 'partners',
    path: '/partners',
    labelKey: 'nav.partners',
    audience: ['coordinator', 'admin'],
  },
  { id: 'audit', path: '/audit', labelKey: 'nav.audit', audience: ['auditor'] },
  {
    id: 'reports',
    path: '/reports',
    labelKey: 'nav.reports',
    audience: ['coordinator', 'auditor'],
  },
  {
    id: 'purgeRequests',
    path: '/purge-requests',
    labelKey: 'nav.purgeRequests',
    audience: ['coordinator'],
  },
  { id: 'users', path: '/users', labelKey: 'nav.users', audience: ['admin'] },
  { id: 'retention', path: '/retention', labelKey: 'nav.retention', audience: ['admin'] },
  { id: 'account', path: '/account', labelKey: 'nav.account', audience: STAFF_EXCEPT_PARTNERS },
  { id: 'signIn', path: '/sign-in', labelKey: 'nav.signIn', audience: ['anonymous'] },
] as const satisfies readonly NavItem[];

export type NavId = (typeof NAV_ITEMS)[number]['id'];

export function navItem(id: NavId): NavItem {
  const item = NAV_ITEMS.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`no navigation item "${id}"`);
  return item;
}

/** The entries the given audience may see, in menu order. */
export function navItemsFor(
  audience: Audience,
  items: readonly NavItem[] = NAV_ITEMS,
): readonly NavItem[] {
  return items.filter((item) => item.audience.includes(audience));
}
