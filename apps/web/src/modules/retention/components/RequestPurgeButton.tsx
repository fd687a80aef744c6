import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { PURGE_REASONS, routes, type PurgeReason } from '@haven/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client';
import { useSession } from '../../auth/hooks/useSession';

/**
 * On the case page, for coordinators: ask for the case to be purged now. A category only, no
 * free text (docs/retention.md); a different coordinator confirms within 24 hours.
 */
export function RequestPurgeButton({ code }: { code: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<PurgeReason | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const request = useMutation({
    mutationFn: (chosen: PurgeReason) =>
      api.request(routes.requestCasePurge, { params: { code }, body: { reason: chosen } }),
    onSuccess: () => {
      setOpen(false);
      setResult({ ok: true, text: t('retention.purge.requested') });
    },
    onError: (caught) =>
      setResult({
        ok: false,
        text:
          caught instanceof ApiError && caught.status === 409
            ? caught.message
            : t('retention.purge.failed'),
      }),
  });
  if (session.status !== 'signed-in' || session.role !== 'coordinator') return null;

  return (
    <Stack gap={4} align="flex-end">
      <Button
        size="xs"
        color="red"
        variant="light"
        onClick={() => {
          setResult(null);
          setOpen(true);
        }}
      >
        {t('retention.purge.request')}
      </Button>
      {result && !open && (
        <Text size="sm" c={result.ok ? 'green' : 'red'} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </Text>
      )}
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('retention.purge.requestTitle', { code })}
        centered
      >
        <Stack gap="md">
          <Text>{t('retention.purge.requestBody')}</Text>
          {result && !result.ok && (
            <Alert color="red" variant="light" role="alert">
              {result.text}
            </Alert>
          )}
          <Select
            label={t('retention.purge.reason')}
            data={PURGE_REASONS.map((r) => ({ value: r, label: t(`retention.reasons.${r}`) }))}
            value={reason}
            onChange={(value) => setReason(value as PurgeReason | null)}
            allowDeselect={false}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              disabled={!reason}
              loading={request.isPending}
              onClick={() => reason && request.mutate(reason)}
            >
              {t('retention.purge.send')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
