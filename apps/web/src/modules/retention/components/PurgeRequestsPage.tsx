import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { routes, type PurgeRequestSummary } from '@haven/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { ConfirmDialog } from '../../users/components/ConfirmDialog';
import { purgeRequestsQuery } from '../api/retention-queries';

/** Coordinators: purge requests waiting for a second coordinator, and the confirmation. */
export function PurgeRequestsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const title = t('nav.purgeRequests');
  useDocumentTitle(title);
  const requests = useQuery(purgeRequestsQuery);
  const [pending, setPending] = useState<PurgeRequestSummary | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const confirm = useMutation({
    mutationFn: (requestId: string) =>
      api.request(routes.confirmPurgeRequest, { params: { requestId } }),
    onSuccess: (done) => {
      setMessage({ ok: true, text: t('retention.purge.done', { code: done.caseCode }) });
    },
    onError: (caught) => {
      setMessage({
        ok: false,
        text:
          caught instanceof ApiError && caught.status === 409
            ? caught.message
            : t('retention.purge.failed'),
      });
    },
    onSettled: async () => {
      setPending(null);
      await queryClient.invalidateQueries({ queryKey: purgeRequestsQuery.queryKey });
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
    },
  });

  const list = requests.data?.requests ?? [];
  return (
    <Stack gap="md">
      <Title order={1}>{title}</Title>
      <Text>{t('retention.purge.listIntro')}</Text>
      {message && (
        <Alert
          color={message.ok ? 'green' : 'red'}
          variant="light"
          role={message.ok ? 'status' : 'alert'}
          withCloseButton
          onClose={() => setMessage(null)}
        >
          {message.text}
        </Alert>
      )}
      {requests.isSuccess && list.length === 0 && (
        <Text c="dimmed">{t('retention.purge.none')}</Text>
      )}
      {list.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('retention.purge.case')}</Table.Th>
              <Table.Th>{t('retention.purge.reason')}</Table.Th>
              <Table.Th>{t('retention.purge.requestedBy')}</Table.Th>
              <Table.Th>{t('retention.purge.expires')}</Table.Th>
              <Table.Th>{t('users.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((request) => (
              <Table.Tr key={request.id} data-case-code={request.caseCode}>
                <Table.Td>
                  <Text ff="monospace">{request.caseCode}</Text>
                </Table.Td>
                <Table.Td>{t(`retention.reasons.${request.reason}`)}</Table.Td>
                <Table.Td>{request.requestedByName}</Table.Td>
                <Table.Td>{new Date(request.expiresAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  {request.mine ? (
                    <Badge variant="light">{t('retention.purge.waitingForOther')}</Badge>
                  ) : (
                    <Group gap="xs">
                      <Button size="xs" color="red" onClick={() => setPending(request)}>
                        {t('retention.purge.confirm')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {pending && (
        <ConfirmDialog
          title={t('retention.purge.dialogTitle', { code: pending.caseCode })}
          body={t('retention.purge.dialogBody', {
            code: pending.caseCode,
            reason: t(`retention.reasons.${pending.reason}`),
            who: pending.requestedByName,
          })}
          confirm={t('retention.purge.confirmForever')}
          onConfirm={() => confirm.mutate(pending.id)}
          onCancel={() => setPending(null)}
        />
      )}
    </Stack>
  );
}
