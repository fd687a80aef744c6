import { Alert, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { readSetupToken } from '../utils/setup-token';

/**
 * Placeholder for first-run and invitation setup. It already takes the one-time token out of
 * the fragment and keeps it in memory only; the setup flow itself arrives with accounts.
 */
export function SetupPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => readSetupToken(location.hash));
  const title = t('pages.setup.title');
  useDocumentTitle(title);

  // Drop the fragment from the address bar and the history entry once it has been read.
  useEffect(() => {
    if (location.hash) {
      void navigate({ pathname: location.pathname, search: location.search }, { replace: true });
    }
  }, [location.hash, location.pathname, location.search, navigate]);

  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Alert color={token ? 'blue' : 'yellow'} variant="light">
        {token ? t('pages.setup.linkRecognised') : t('pages.setup.linkMissing')}
      </Alert>
      <Text>{t('pages.setup.body')}</Text>
    </Stack>
  );
}
