import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

/**
 * Shown when rendering a route throws. It deliberately shows no error details: messages can
 * carry decrypted content, and the person at the screen may not be the only one reading it.
 */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const title = t('pages.error.title');
  useDocumentTitle(title);
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>{t('pages.error.body')}</Text>
      <Anchor component={Link} to="/">
        {t('pages.error.back')}
      </Anchor>
    </Stack>
  );
}
