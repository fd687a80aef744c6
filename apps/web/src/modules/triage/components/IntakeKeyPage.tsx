import { Alert, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { cryptoWorker } from '../../auth/crypto-session';
import { useSession } from '../../auth/hooks/useSession';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { useIntakeKey } from '../hooks/useIntakeKey';
import { IntakeKeyPanel } from './IntakeKeyPanel';
import { IntakeRotationPanel } from './IntakeRotationPanel';

/**
 * The intake key's handover page (admins and coordinators; reached from the users page and the
 * triage queue, no menu entry). The setup admin hands the key to coordinators here once; a
 * coordinator proposes a rotation here, and the admin who holds the root approves it.
 */
export function IntakeKeyPage() {
  const { t } = useTranslation();
  const session = useSession();
  const signedIn = session.status === 'signed-in' ? session : null;
  const worker = cryptoWorker();
  const key = useIntakeKey(worker, signedIn?.keys.user ?? null, signedIn?.me.user.role ?? null);
  const title = t('triage.key.pageTitle');
  useDocumentTitle(title);
  if (!signedIn) return null;
  return (
    <Stack gap="md" maw={800}>
      <Title order={1}>{title}</Title>
      <Text>{t('triage.key.pageIntro')}</Text>
      {key.isPending && (
        <Group>
          <Loader size="sm" />
          <Text>{t('triage.loading')}</Text>
        </Group>
      )}
      {key.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('triage.key.loadFailed')}
        </Alert>
      )}
      {key.data && (
        <>
          <IntakeKeyPanel worker={worker} user={signedIn.keys.user} state={key.data} />
          {key.data.intake && key.data.status.missing.length === 0 && (
            <Alert color="green" variant="light" role="status">
              {t('triage.key.everyoneHasIt')}
            </Alert>
          )}
          <IntakeRotationPanel
            worker={worker}
            user={signedIn.keys.user}
            role={signedIn.me.user.role}
            state={key.data}
          />
        </>
      )}
    </Stack>
  );
}
