import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NavLabelKey } from '../../../app/navigation/nav-items';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

/** A section whose feature has not landed yet; its title is its navigation label. */
export function ComingSoonPage({ titleKey }: { titleKey: NavLabelKey }) {
  const { t } = useTranslation();
  const title = t(titleKey);
  useDocumentTitle(title);
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>{t('pages.comingSoon.body')}</Text>
    </Stack>
  );
}
