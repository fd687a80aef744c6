import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  const title = t('pages.notFound.title');
  useDocumentTitle(title);
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>{t('pages.notFound.body')}</Text>
      <Anchor component={Link} to="/">
        {t('pages.notFound.back')}
      </Anchor>
    </Stack>
  );
}
