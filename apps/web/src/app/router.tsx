import type { ComponentType, ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { loadServerState } from '../api/server-state';
import { RequireAudience } from '../modules/auth/components/RequireAudience';
import { STAFF_ROLES } from '../modules/auth/utils/roles';
import { SignInPage } from '../modules/auth/components/SignInPage';
import { loadAllStrings } from '../modules/i18n/i18n';
import { ComingSoonPage } from '../modules/system/components/ComingSoonPage';
import { NotFoundPage } from '../modules/system/components/NotFoundPage';
import { RouteErrorPage } from '../modules/system/components/RouteErrorPage';
import { AppLayout } from './layout/AppLayout';
import { PageLoading } from './layout/PageLoading';
import { NAV_ITEMS, navItem, type NavItem } from './navigation/nav-items';

/** A section page behind the same audience list that decides whether its menu entry shows. */
function section(item: NavItem, page: ReactNode): RouteObject {
  return {
    path: item.path,
    element: <RequireAudience audience={item.audience}>{page}</RequireAudience>,
  };
}

/**
 * A page loaded on first visit: the sign-in route carries only what signing in needs (the
 * budget is 200 KB gzip), and every other page comes as its own chunk, together with the
 * strings beyond the shell's (modules/i18n/i18n.ts) and the server-state cache (api/server-state.ts).
 */
function lazyPage(
  path: string,
  load: () => Promise<ComponentType>,
  audience?: NavItem['audience'],
) {
  return {
    path,
    lazy: async () => {
      const [Page, { QueryCacheProvider }] = await Promise.all([
        load(),
        loadServerState(),
        loadAllStrings(),
      ]);
      return {
        element: (
          <QueryCacheProvider>
            {audience ? (
              <RequireAudience audience={audience}>
                <Page />
              </RequireAudience>
            ) : (
              <Page />
            )}
          </QueryCacheProvider>
        ),
      };
    },
  } satisfies RouteObject;
}

/** Sections with a page of their own; the rest say their feature is coming. */
const BUILT = [
  'home',
  'signIn',
  'users',
  'account',
  'cases',
  'followUps',
  'intake',
  'audit',
  'reports',
  'retention',
  'purgeRequests',
  'referrals',
  'partners',
];

const comingSoon = NAV_ITEMS.filter((item) => !BUILT.includes(item.id)).map((item) =>
  section(item, <ComingSoonPage titleKey={item.labelKey} />),
);

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    // Shown for the moment a lazily loaded page is fetched on the first load.
    hydrateFallbackElement: <PageLoading />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          // Partners have no home page (their menu is "Referrals" alone): HomePage sends them on.
          lazyPage(
            navItem('home').path,
            async () => (await import('../modules/home/components/HomePage')).HomePage,
            STAFF_ROLES,
          ),
          { path: navItem('signIn').path, element: <SignInPage /> },
          lazyPage(
            navItem('users').path,
            async () => (await import('../modules/users/components/UsersPage')).UsersPage,
            navItem('users').audience,
          ),
          lazyPage(
            navItem('account').path,
            async () => (await import('../modules/account/components/AccountPage')).AccountPage,
            // Partners too (password, sessions), though it is not in their menu.
            STAFF_ROLES,
          ),
          // Cases and the contact log (docs/cases.md).
          lazyPage(
            navItem('cases').path,
            async () => (await import('../modules/cases/components/CaseListPage')).CaseListPage,
            navItem('cases').audience,
          ),
          lazyPage(
            '/cases/new',
            async () => (await import('../modules/cases/components/NewCasePage')).NewCasePage,
            navItem('cases').audience,
          ),
          lazyPage(
            '/cases/:code',
            async () => (await import('../modules/cases/components/CasePage')).CasePage,
            navItem('cases').audience,
          ),
          lazyPage(
            navItem('followUps').path,
            async () => (await import('../modules/cases/components/FollowUpsPage')).FollowUpsPage,
            navItem('followUps').audience,
          ),
          // Triage of anonymous intake and the intake key's handover (docs/intake.md).
          lazyPage(
            navItem('intake').path,
            async () => (await import('../modules/triage/components/TriagePage')).TriagePage,
            navItem('intake').audience,
          ),
          lazyPage(
            '/intake/key',
            async () => (await import('../modules/triage/components/IntakeKeyPage')).IntakeKeyPage,
            ['admin', 'coordinator'],
          ),
          // Referrals: the coordinator's board, or the referrals assigned to the caller
          // (partners, internal caseworkers); the partner directory (docs/referrals.md).
          lazyPage(
            navItem('referrals').path,
            async () =>
              (await import('../modules/referrals/components/ReferralsPage')).ReferralsPage,
            navItem('referrals').audience,
          ),
          lazyPage(
            navItem('partners').path,
            async () => (await import('../modules/partners/components/PartnersPage')).PartnersPage,
            navItem('partners').audience,
          ),
          // The audit log and aggregate reports (docs/audit.md).
          lazyPage(
            navItem('audit').path,
            async () => (await import('../modules/audit/components/AuditPage')).AuditPage,
            navItem('audit').audience,
          ),
          lazyPage(
            '/audit/people/:userId',
            async () =>
              (await import('../modules/audit/components/UserActivityPage')).UserActivityPage,
            navItem('audit').audience,
          ),
          lazyPage(
            navItem('reports').path,
            async () => (await import('../modules/reports/components/ReportsPage')).ReportsPage,
            navItem('reports').audience,
          ),
          // Retention settings and lockdown (admins), purge-now confirmation (coordinators).
          lazyPage(
            navItem('retention').path,
            async () =>
              (await import('../modules/retention/components/RetentionPage')).RetentionPage,
            navItem('retention').audience,
          ),
          lazyPage(
            navItem('purgeRequests').path,
            async () =>
              (await import('../modules/retention/components/PurgeRequestsPage')).PurgeRequestsPage,
            navItem('purgeRequests').audience,
          ),
          // Reached only through one-time links, so they have no menu entry.
          lazyPage(
            '/setup',
            async () => (await import('../modules/setup/components/SetupPage')).SetupPage,
          ),
          lazyPage(
            '/invite',
            async () => (await import('../modules/invitations/components/InvitePage')).InvitePage,
          ),
          ...comingSoon,
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
