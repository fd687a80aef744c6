import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';

/** The signed-in start page; its per-role content arrives with the features. */
export function HomePage() {
  const { t } = useTranslation();
  const title = t('pages.home.title');
  useDocumentTitle(title);
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>{t('pages.home.body')}</Text>
    </Stack>
  );
}
