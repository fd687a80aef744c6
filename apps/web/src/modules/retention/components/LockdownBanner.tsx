import { Alert, Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { lockdownQuery } from '../api/retention-queries';

/** Admins only (the only people signed in during lockdown): says so on every page. */
export function LockdownBanner() {
  const { t } = useTranslation();
  const status = useQuery(lockdownQuery);
  if (!status.data?.active) return null;
  return (
    <Alert color="red" variant="filled" role="status" mb="md" data-testid="lockdown-banner">
      {t('retention.lockdown.banner', { day: status.data.since ?? '' })}{' '}
      <Anchor component={Link} to="/retention" c="white" underline="always">
        {t('retention.lockdown.manage')}
      </Anchor>
    </Alert>
  );
}
