import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import {
  routes,
  STATUS_TRANSITIONS,
  transitionNeedsReason,
  type CaseStatus,
} from '@haven/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { encrypt, entryRef } from '../crypto/case-crypto';
import { writeProblemOf, type WriteProblem } from '../utils/write-errors';
import type { CaseTabProps } from './CasePage';
import { WriteError } from './WriteError';

/**
 * The status machine's next steps for this case. A reason becomes an encrypted status note on
 * the timeline; reopening a closed case requires one.
 */
export function StatusControl({ ctx, loaded, reload }: CaseTabProps) {
  const { t } = useTranslation();
  const { detail, opened } = loaded;
  const [target, setTarget] = useState<CaseStatus | null>(null);
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const next = STATUS_TRANSITIONS[detail.status];

  const confirm = async () => {
    if (!target || !opened.key) return;
    const needed = transitionNeedsReason(detail.status, target);
    if (needed && reason.trim() === '') {
      setMissingReason(true);
      return;
    }
    setSaving(true);
    try {
      const noteId = crypto.randomUUID();
      const note =
        reason.trim() === ''
          ? undefined
          : {
              id: noteId,
              envelope: await encrypt(ctx.worker, opened.key, entryRef('status_note', noteId), {
                from: detail.status,
                to: target,
                reason: reason.trim(),
              }),
            };
      await api.request(routes.changeCaseStatus, {
        params: { code: detail.code },
        body: { expectedVersion: detail.version, status: target, note },
      });
      setTarget(null);
      setReason('');
      setProblem(null);
      await reload();
    } catch (error) {
      setTarget(null);
      setProblem(writeProblemOf(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        {next.map((status) => (
          <Button
            key={status}
            size="xs"
            variant="light"
            disabled={!opened.key}
            onClick={() => {
              setTarget(status);
              setMissingReason(false);
            }}
          >
            {t(`cases.statusAction.${detail.status === 'closed' ? 'reopen' : status}`)}
          </Button>
        ))}
      </Group>
      <WriteError
        problem={problem}
        onClose={() => setProblem(null)}
        onReload={() => {
          setProblem(null);
          void reload();
        }}
      />
      {target && (
        <Modal
          opened
          centered
          onClose={() => setTarget(null)}
          title={t('cases.statusDialog.title', { status: t(`cases.status.${target}`) })}
        >
          <Stack gap="sm">
            <Textarea
              label={t('cases.statusDialog.reason')}
              description={
                transitionNeedsReason(detail.status, target)
                  ? t('cases.statusDialog.reasonRequired')
                  : t('cases.statusDialog.reasonOptional')
              }
              required={transitionNeedsReason(detail.status, target)}
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={missingReason ? t('cases.validation.required') : undefined}
              data-autofocus
            />
            <Text size="xs" c="dimmed">
              {t('cases.statusDialog.encrypted')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setTarget(null)}>
                {t('common.cancel')}
              </Button>
              <Button loading={saving} onClick={() => void confirm()}>
                {t('cases.statusDialog.confirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
