import { Alert, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { routes } from '@haven/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { today as utcToday } from '../utils/overdue';

interface ConsentControlProps {
  code: string;
  shareConsentOn: string | null;
  /** What the profile says (the caseworker's own record of the person's wishes). */
  profileSays: boolean | null;
  onChanged: () => Promise<void>;
}

/** The person's consent to sharing with partners: recorded (with its day) or withdrawn. */
export function ConsentControl({
  code,
  shareConsentOn,
  profileSays,
  onChanged,
}: ConsentControlProps) {
  const { t } = useTranslation();
  const [day, setDay] = useState(utcToday());
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailed(false);
    try {
      await work();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
      await onChanged();
    }
  };

  return (
    <Card withBorder data-testid="share-consent">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('referrals.consent.title')}
        </Title>
        {failed && (
          <Alert color="red" variant="light" role="alert">
            {t('referrals.errors.other')}
          </Alert>
        )}
        {shareConsentOn ? (
          <Group justify="space-between">
            <Text data-testid="consent-state">
              {t('referrals.consent.recorded', { day: shareConsentOn })}
            </Text>
            <Button
              variant="light"
              color="red"
              size="xs"
              loading={busy}
              onClick={() =>
                void run(() => api.request(routes.withdrawShareConsent, { params: { code } }))
              }
            >
              {t('referrals.consent.withdraw')}
            </Button>
          </Group>
        ) : (
          <Stack gap="xs">
            <Text data-testid="consent-state">{t('referrals.consent.none')}</Text>
            {profileSays === false && (
              <Text size="sm" c="orange">
                {t('referrals.consent.profileSaysNo')}
              </Text>
            )}
            <Group align="end">
              <TextInput
                type="date"
                label={t('referrals.consent.day')}
                value={day}
                max={utcToday()}
                onChange={(e) => setDay(e.currentTarget.value)}
              />
              <Button
                loading={busy}
                disabled={!/^\d{4}-\d{2}-\d{2}$/.test(day)}
                onClick={() =>
                  void run(() =>
                    api.request(routes.recordShareConsent, {
                      params: { code },
                      body: { consentOn: day },
                    }),
                  )
                }
              >
                {t('referrals.consent.record')}
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              {t('referrals.consent.hint')}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
