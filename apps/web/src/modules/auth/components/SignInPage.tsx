import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';

/** Placeholder: the sign-in form (password + TOTP) arrives with the accounts feature. */
export function SignInPage() {
  const { t } = useTranslation();
  const title = t('pages.signIn.title');
  useDocumentTitle(title);
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>{t('pages.signIn.body')}</Text>
    </Stack>
  );
}
