import type { ReactNode } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { RequireAudience } from '../modules/auth/components/RequireAudience';
import { SignInPage } from '../modules/auth/components/SignInPage';
import { HomePage } from '../modules/home/components/HomePage';
import { SetupPage } from '../modules/setup/components/SetupPage';
import { ComingSoonPage } from '../modules/system/components/ComingSoonPage';
import { NotFoundPage } from '../modules/system/components/NotFoundPage';
import { RouteErrorPage } from '../modules/system/components/RouteErrorPage';
import { AppLayout } from './layout/AppLayout';
import { NAV_ITEMS, navItem, type NavItem } from './navigation/nav-items';

/** A section page behind the same audience list that decides whether its menu entry shows. */
function section(item: NavItem, page: ReactNode): RouteObject {
  return {
    path: item.path,
    element: <RequireAudience audience={item.audience}>{page}</RequireAudience>,
  };
}

const comingSoon = NAV_ITEMS.filter((item) => !['home', 'signIn'].includes(item.id)).map((item) =>
  section(item, <ComingSoonPage titleKey={item.labelKey} />),
);

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          section(navItem('home'), <HomePage />),
          { path: navItem('signIn').path, element: <SignInPage /> },
          // Reached only through a setup link, so it has no menu entry.
          { path: '/setup', element: <SetupPage /> },
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
