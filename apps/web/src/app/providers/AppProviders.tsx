import { MantineProvider } from '@mantine/core';
import type { i18n } from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { SessionProvider } from '../../modules/auth/session/SessionProvider';
import { memoryColorSchemeManager } from './color-scheme';
import { cssVariablesResolver, theme } from './theme';

interface AppProvidersProps {
  i18n: i18n;
  /** The CSP style nonce of this page load (undefined in development). */
  styleNonce: string | undefined;
  children: ReactNode;
}

const colorSchemeManager = memoryColorSchemeManager();

export function AppProviders({ i18n, styleNonce, children }: AppProvidersProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider
        theme={theme}
        cssVariablesResolver={cssVariablesResolver}
        colorSchemeManager={colorSchemeManager}
        defaultColorScheme="light"
        getStyleNonce={styleNonce === undefined ? undefined : () => styleNonce}
      >
        <SessionProvider>{children}</SessionProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
