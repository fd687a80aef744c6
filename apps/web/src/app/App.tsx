import type { QueryClient } from '@tanstack/react-query';
import type { i18n } from 'i18next';
import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { AppProviders } from './providers/AppProviders';
import { createAppRouter } from './router';

interface AppProps {
  i18n: i18n;
  queryClient: QueryClient;
  styleNonce: string | undefined;
}

export function App({ i18n, queryClient, styleNonce }: AppProps) {
  const [router] = useState(createAppRouter);
  return (
    <AppProviders i18n={i18n} queryClient={queryClient} styleNonce={styleNonce}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
