import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { routes } from '@haven/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { ConfirmDialog } from '../../users/components/ConfirmDialog';
import { encrypt, entryRef, sealTo } from '../crypto/case-crypto';
import { rotateCaseKey } from '../utils/rotate-case';
import { writeProblemOf, type WriteProblem } from '../utils/write-errors';
import type { CaseTabProps } from './CasePage';
import { WriteError } from './WriteError';

/**
 * Who holds the case key. Sharing seals the key to a colleague (with a reason on the
 * timeline); removing someone deletes their grant at once and rotates the key, so nothing
 * written afterwards opens with what they had. Coordinators assign and reassign.
 */
export function AccessTab({ ctx, loaded, reload }: CaseTabProps) {
  const { t } = useTranslation();
  const { detail, opened } = loaded;
  const directory = ctx.directory;
  const coordinator = ctx.me.role === 'coordinator';
  const [shareWith, setShareWith] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [assignTo, setAssignTo] = useState<string | null>(null);
  const [removePrevious, setRemovePrevious] = useState(true);
  const [removing, setRemoving] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const holders = new Set(detail.grants.map((g) => g.userId));
  const nameOf = (id: string) => directory?.get(id)?.username ?? t('cases.unknownPerson');
  const active = [...(directory?.values() ?? [])].filter((c) => c.active);
  const shareable = active
    .filter((c) => !holders.has(c.id))
    .map((c) => ({ value: c.id, label: `${c.username} (${t(`roles.${c.role}`)})` }));
  const assignable = active
    .filter((c) => c.role === 'caseworker' && c.id !== detail.assigneeId)
    .map((c) => ({ value: c.id, label: c.username }));

  /** Removes a grant, then rotates the key under which everything is stored. */
  const removeAndRotate = async (userId: string) => {
    if (!directory || !opened.key) return;
    await api.request(routes.revokeCaseGrant, { params: { code: detail.code, userId } });
    await rotateCaseKey(ctx.worker, ctx.user, directory, opened.key, detail.code);
  };

  const run = async (work: () => Promise<void>, message: string) => {
    setBusy(true);
    setProblem(null);
    setDone(null);
    try {
      await work();
      setDone(message);
    } catch (error) {
      setProblem(writeProblemOf(error));
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const share = () => {
    const colleague = shareWith ? directory?.get(shareWith) : undefined;
    if (!colleague || !opened.key) return;
    if (reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    setReasonMissing(false);
    const key = opened.key;
    void run(
      async () => {
        const noteId = crypto.randomUUID();
        await api.request(routes.shareCase, {
          params: { code: detail.code },
          body: {
            userId: colleague.id,
            envelope: await sealTo(ctx.worker, key, colleague, ctx.user),
            note: {
              id: noteId,
              envelope: await encrypt(ctx.worker, key, entryRef('access_note', noteId), {
                action: 'share',
                userId: colleague.id,
                reason: reason.trim(),
              }),
            },
          },
        });
        setShareWith(null);
        setReason('');
      },
      t('cases.access.shared', { name: colleague.username }),
    );
  };

  const assign = () => {
    const colleague = assignTo ? directory?.get(assignTo) : undefined;
    if (!colleague || !opened.key) return;
    const key = opened.key;
    const previous = detail.assigneeId;
    void run(
      async () => {
        await api.request(routes.assignCase, {
          params: { code: detail.code },
          body: {
            assigneeId: colleague.id,
            ...(holders.has(colleague.id)
              ? {}
              : { grant: await sealTo(ctx.worker, key, colleague, ctx.user) }),
          },
        });
        if (
          previous &&
          removePrevious &&
          previous !== ctx.me.id &&
          previous !== detail.supervisorId
        ) {
          await removeAndRotate(previous);
        }
        setAssignTo(null);
      },
      t('cases.access.assigned', { name: colleague.username }),
    );
  };

  return (
    <Stack gap="lg">
      <WriteError
        problem={problem}
        onClose={() => setProblem(null)}
        onReload={() => {
          setProblem(null);
          void reload();
        }}
      />
      {done && (
        <Alert
          color="green"
          variant="light"
          role="status"
          withCloseButton
          onClose={() => setDone(null)}
        >
          {done}
        </Alert>
      )}
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('cases.access.holders')}
        </Title>
        <Table data-testid="grant-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cases.access.person')}</Table.Th>
              <Table.Th>{t('cases.access.since')}</Table.Th>
              <Table.Th>{t('cases.access.grantedBy')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.grants.map((grant) => (
              <Table.Tr key={grant.userId} data-username={directory?.get(grant.userId)?.username}>
                <Table.Td>
                  <Group gap="xs">
                    <Text>{nameOf(grant.userId)}</Text>
                    {grant.userId === detail.supervisorId && (
                      <Badge size="sm" variant="light">
                        {t('cases.access.supervisor')}
                      </Badge>
                    )}
                    {grant.userId === detail.assigneeId && (
                      <Badge size="sm" variant="light" color="green">
                        {t('cases.access.assignee')}
                      </Badge>
                    )}
                    {directory?.get(grant.userId)?.active === false && (
                      <Badge size="sm" variant="light" color="gray">
                        {t('cases.access.disabled')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{grant.createdOn}</Table.Td>
                <Table.Td>{nameOf(grant.grantedBy)}</Table.Td>
                <Table.Td>
                  {coordinator &&
                    grant.userId !== detail.supervisorId &&
                    grant.userId !== ctx.me.id && (
                      <Button
                        size="compact-xs"
                        color="red"
                        variant="subtle"
                        disabled={busy || detail.grants.length <= 2}
                        onClick={() => setRemoving(grant.userId)}
                      >
                        {t('cases.access.remove')}
                      </Button>
                    )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('cases.access.minimum')}
        </Text>
      </Stack>

      <Card withBorder>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('cases.access.shareTitle')}
          </Title>
          <Select
            label={t('cases.access.colleague')}
            searchable
            data={shareable}
            value={shareWith}
            onChange={setShareWith}
            data-testid="share-with"
          />
          <Textarea
            label={t('cases.access.reason')}
            description={t('cases.access.reasonHint')}
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={reasonMissing ? t('cases.validation.required') : undefined}
          />
          <Group>
            <Button
              onClick={share}
              loading={busy}
              disabled={!shareWith || !opened.key || detail.rotationDue}
            >
              {t('cases.access.share')}
            </Button>
          </Group>
        </Stack>
      </Card>

      {coordinator && (
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {detail.assigneeId ? t('cases.access.reassignTitle') : t('cases.access.assignTitle')}
            </Title>
            <Select
              label={t('cases.access.caseworker')}
              searchable
              data={assignable}
              value={assignTo}
              onChange={setAssignTo}
              data-testid="assign-to"
            />
            {detail.assigneeId && detail.assigneeId !== detail.supervisorId && (
              <Checkbox
                label={t('cases.access.removePrevious', { name: nameOf(detail.assigneeId) })}
                checked={removePrevious}
                onChange={(e) => setRemovePrevious(e.currentTarget.checked)}
              />
            )}
            <Group>
              <Button
                onClick={assign}
                loading={busy}
                disabled={!assignTo || !opened.key || detail.rotationDue}
              >
                {t('cases.access.assign')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}

      {removing && (
        <ConfirmDialog
          title={t('cases.access.removeTitle', { name: nameOf(removing) })}
          body={t('cases.access.removeBody')}
          confirm={t('cases.access.remove')}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const userId = removing;
            setRemoving(null);
            void run(
              () => removeAndRotate(userId),
              t('cases.access.removed', { name: nameOf(userId) }),
            );
          }}
        />
      )}
    </Stack>
  );
}
