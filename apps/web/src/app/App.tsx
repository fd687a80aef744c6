import type { i18n } from 'i18next';
import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { AppProviders } from './providers/AppProviders';
import { createAppRouter } from './router';

interface AppProps {
  i18n: i18n;
  styleNonce: string | undefined;
}

export function App({ i18n, styleNonce }: AppProps) {
  const [router] = useState(createAppRouter);
  return (
    <AppProviders i18n={i18n} styleNonce={styleNonce}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
