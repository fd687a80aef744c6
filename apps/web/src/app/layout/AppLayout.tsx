import { AppShell, Burger, Group, NavLink, em } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { Suspense, lazy, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, matchPath, useLocation } from 'react-router';
import { loadServerState } from '../../api/server-state';
import { SessionMenu } from '../../modules/auth/components/SessionMenu';
import { useSession } from '../../modules/auth/hooks/useSession';
import { audienceOf } from '../../modules/auth/utils/roles';
import { LanguageSwitch } from '../../modules/i18n/components/LanguageSwitch';
import { ServiceStatus } from '../../modules/system/components/ServiceStatus';
import { loadAllStrings } from '../../modules/i18n/i18n';
import { navItemsFor } from '../navigation/nav-items';
import classes from './AppLayout.module.css';
import { SkipLink } from './SkipLink';

/**
 * Admins only, and only once signed in: loaded then, with the strings beyond the shell's and the
 * server-state cache.
 */
const LockdownBanner = lazy(async () => {
  const [{ LockdownBanner: Banner }, { QueryCacheProvider }] = await Promise.all([
    import('../../modules/retention/components/LockdownBanner'),
    loadServerState(),
    loadAllStrings(),
  ]);
  function BannerWithCache() {
    return (
      <QueryCacheProvider>
        <Banner />
      </QueryCacheProvider>
    );
  }
  return { default: BannerWithCache };
});

/** Below this width the menu is a drawer behind the burger button (Mantine's `sm`). */
const NARROW = `(max-width: ${em(767.98)})`;

/** The dashboard frame: skip link, header, role-dependent menu, main content, status line. */
export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [menuOpen, menu] = useDisclosure(false);
  const narrow = useMediaQuery(NARROW) ?? false;
  // A locked session shows no sections until the password is given.
  const items =
    session.status === 'locked' || session.status === 'loading'
      ? []
      : navItemsFor(audienceOf(session));
  const homePath = items[0]?.path ?? '/';

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !menuOpen } }}
      footer={{ height: 40 }}
      padding="md"
    >
      <SkipLink target={mainRef} />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={menuOpen}
              onClick={menu.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('shell.toggleNavigation')}
              aria-expanded={menuOpen}
              aria-controls="main-navigation"
            />
            <Link to={homePath} className={classes.brand} aria-label={t('shell.homeLink')}>
              {t('app.name')}
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SessionMenu />
            <LanguageSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        id="main-navigation"
        p="xs"
        aria-label={t('shell.navigationLabel')}
        // A closed drawer is only moved off-screen; inert keeps its links out of the tab order
        // and away from screen readers until it is opened.
        inert={narrow && !menuOpen}
      >
        {items.map((item) => {
          const active = matchPath({ path: item.path, end: item.path === '/' }, location.pathname);
          return (
            <NavLink
              key={item.id}
              component={Link}
              to={item.path}
              label={t(item.labelKey)}
              active={active !== null}
              aria-current={active ? 'page' : undefined}
              // On small screens the menu overlays the page; close it once a section is chosen.
              onClick={menu.close}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="main-content" ref={mainRef} tabIndex={-1} className={classes.main}>
        {session.status === 'signed-in' && session.role === 'admin' && (
          <Suspense fallback={null}>
            <LockdownBanner />
          </Suspense>
        )}
        <Outlet />
      </AppShell.Main>
      <AppShell.Footer px="md">
        <Group h="100%" align="center">
          <ServiceStatus />
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
