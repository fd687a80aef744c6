import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  normaliseCaseCode,
  routes,
  type TriageFollowUp,
  type TriageSubmission,
} from '@haven/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import {
  encrypt,
  openGrants,
  profileRef,
  rememberKey,
  sealTo,
  summaryOf,
  summaryRef,
} from '../../cases/crypto/case-crypto';
import { useCaseSession, type CaseSession } from '../../cases/hooks/useCaseSession';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import {
  formText,
  intakeEntry,
  openQueued,
  profileFromForm,
  type OpenedIntake,
} from '../crypto/triage-crypto';
import { intakeKeyQueryKey, useIntakeKey } from '../hooks/useIntakeKey';
import { IntakeKeyPanel } from './IntakeKeyPanel';

const queueKey = ['triage', 'queue'] as const;

interface OpenedQueue {
  submissions: { item: TriageSubmission; opened: OpenedIntake }[];
  followUps: { item: TriageFollowUp; opened: OpenedIntake }[];
}

/**
 * The coordinators' triage queue: sealed submissions, most urgent and oldest first, opened in
 * the crypto worker with the intake key; and the person's follow-ups on linked threads, to be
 * filed into their cases. Every action is one audited request (docs/intake.md, "Triage").
 */
export function TriagePage() {
  const { t } = useTranslation();
  const ctx = useCaseSession();
  const queryClient = useQueryClient();
  const key = useIntakeKey(ctx?.worker ?? cryptoStub, ctx?.user ?? null, ctx?.me.role ?? null);
  const intake = key.data?.intake ?? null;
  /** The case the last convert or merge went to (the card itself leaves the queue). */
  const [linkedCode, setLinkedCode] = useState<string | null>(null);
  const title = t('triage.title');
  useDocumentTitle(title);
  const queue = useQuery({
    queryKey: [...queueKey, intake],
    enabled: ctx !== null && intake !== null,
    // Every read of the queue is an audit event: read when the page needs it.
    refetchOnWindowFocus: false,
    queryFn: async ({ signal }): Promise<OpenedQueue> => {
      if (!ctx || !intake) throw new Error('no intake key');
      const data = await api.request(routes.triageQueue, { signal });
      // The key was rotated since it was opened: fetch the new grant (the queue follows).
      const version = key.data?.status.version;
      if ([...data.submissions, ...data.followUps].some((i) => i.keyVersion !== version)) {
        void queryClient.invalidateQueries({ queryKey: intakeKeyQueryKey });
      }
      const opened = await openQueued(ctx.worker, intake, [
        ...data.submissions.map((s) => s.envelope),
        ...data.followUps.map((f) => f.envelope),
      ]);
      return {
        submissions: data.submissions.map((item, i) => ({
          item,
          opened: opened[i] ?? { ok: false },
        })),
        followUps: data.followUps.map((item, i) => ({
          item,
          opened: opened[data.submissions.length + i] ?? { ok: false },
        })),
      };
    },
  });

  if (!ctx) return null;
  return (
    <Stack gap="md" maw={1000}>
      <Title order={1}>{title}</Title>
      {key.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('triage.key.loadFailed')}
        </Alert>
      )}
      {key.data && <IntakeKeyPanel worker={ctx.worker} user={ctx.user} state={key.data} />}
      {key.data?.status.rotationDue && (
        <Alert color="yellow" variant="light" role="status">
          {t('triage.key.rotationDue')}{' '}
          <Anchor component={Link} to="/intake/key">
            {t('triage.key.rotationDueLink')}
          </Anchor>
        </Alert>
      )}
      {(key.isPending || queue.isLoading) && (
        <Group>
          <Loader size="sm" />
          <Text>{t('triage.loading')}</Text>
        </Group>
      )}
      {queue.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('triage.loadFailed')}
        </Alert>
      )}
      {linkedCode && (
        <Alert color="green" variant="light" role="status">
          {t('triage.linked')}{' '}
          <Anchor component={Link} to={`/cases/${linkedCode}`} data-testid="triage-case-link">
            {linkedCode}
          </Anchor>
        </Alert>
      )}
      {queue.data && intake && (
        <>
          <Group justify="space-between">
            <Title order={2} size="h3">
              {t('triage.submissions', { count: queue.data.submissions.length })}
            </Title>
            <Button variant="default" size="xs" onClick={() => void queue.refetch()}>
              {t('triage.refresh')}
            </Button>
          </Group>
          {queue.data.submissions.length === 0 && <Text c="dimmed">{t('triage.empty')}</Text>}
          {queue.data.submissions.map(({ item, opened }) => (
            <SubmissionCard
              key={item.id}
              ctx={ctx}
              item={item}
              opened={opened}
              onLinked={setLinkedCode}
            />
          ))}
          {queue.data.followUps.length > 0 && (
            <Title order={2} size="h3">
              {t('triage.followUps', { count: queue.data.followUps.length })}
            </Title>
          )}
          {queue.data.followUps.map(({ item, opened }) => (
            <FollowUpCard key={item.id} ctx={ctx} item={item} opened={opened} />
          ))}
        </>
      )}
    </Stack>
  );
}

/** useIntakeKey needs a worker before the session is known; it does not run without a user. */
const cryptoStub = {} as CaseSession['worker'];

/** Opens a case the caller holds a grant for: its key, read through an audited case read. */
async function caseKeyFor(ctx: CaseSession, code: string) {
  if (!ctx.directory) throw new Error('directory not loaded');
  const detail = await api.request(routes.getCase, { params: { code } });
  const [key] = await openGrants(ctx.worker, ctx.user, ctx.directory, [
    { caseId: detail.id, version: detail.keyVersion, grant: detail.myGrant },
  ]);
  if (!key) throw new Error('case key could not be opened');
  return key;
}

function SubmissionCard({
  ctx,
  item,
  opened,
  onLinked,
}: {
  ctx: CaseSession;
  item: TriageSubmission;
  opened: OpenedIntake;
  onLinked: (code: string) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'convert' | 'merge' | null>(null);
  const [alias, setAlias] = useState('');
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [mergeCode, setMergeCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const caseworkers = [...(ctx.directory?.values() ?? [])]
    .filter((c) => c.active && c.role === 'caseworker')
    .map((c) => ({ value: c.id, label: c.username }));

  const finish = async (run: () => Promise<string | null>) => {
    setBusy(true);
    setFailed(false);
    try {
      const code = await run();
      if (code) onLinked(code);
      await queryClient.invalidateQueries({ queryKey: queueKey });
      await queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  const convert = () =>
    finish(async () => {
      if (!opened.ok || opened.kind !== 'submission' || !ctx.directory) throw new Error('closed');
      const me = ctx.directory.get(ctx.me.id);
      const assignee = assigneeId ? ctx.directory.get(assigneeId) : undefined;
      if (!me || !assignee || alias.trim() === '') throw new Error('incomplete');
      const profile = profileFromForm(opened.form, alias.trim());
      const id = crypto.randomUUID();
      const key = await ctx.worker.createCaseKey(id);
      // The cases feature's create flow: the key sealed to me (supervisor) and the assignee.
      const created = await api.request(routes.createCase, {
        body: {
          id,
          priority: item.urgency,
          supervisorId: me.id,
          assigneeId: assignee.id,
          profile: await encrypt(ctx.worker, key.caseKey, profileRef, profile),
          summary: await encrypt(
            ctx.worker,
            key.caseKey,
            summaryRef,
            summaryOf(profile),
            'summary',
          ),
          grants: await Promise.all(
            [me, assignee].map(async (g) => ({
              userId: g.id,
              envelope: await sealTo(ctx.worker, key.caseKey, g, ctx.user),
            })),
          ),
          blindIndexes: [],
        },
      });
      rememberKey(ctx.user, id, 1, key.caseKey);
      const entry = await intakeEntry(
        ctx.worker,
        key.caseKey,
        'submission',
        formText(opened.form),
        opened.replyPublicKey,
      );
      await api.request(routes.linkSubmission, {
        params: { submissionId: item.id },
        body: { mode: 'convert', caseCode: created.code, entry },
      });
      return created.code;
    });

  const merge = () =>
    finish(async () => {
      const code = normaliseCaseCode(mergeCode);
      if (!opened.ok || opened.kind !== 'submission' || !code) throw new Error('incomplete');
      const key = await caseKeyFor(ctx, code);
      const entry = await intakeEntry(
        ctx.worker,
        key,
        'submission',
        formText(opened.form),
        opened.replyPublicKey,
      );
      await api.request(routes.linkSubmission, {
        params: { submissionId: item.id },
        body: { mode: 'merge', caseCode: code, entry },
      });
      return code;
    });

  const discard = (reason: 'spam' | 'delete') =>
    finish(async () => {
      await api.request(routes.discardSubmission, {
        params: { submissionId: item.id },
        body: { reason },
      });
      return null;
    });

  return (
    <Card withBorder padding="md" data-testid="triage-submission">
      <Stack gap="xs">
        <Group gap="xs">
          <Badge
            color={
              item.urgency === 'critical' ? 'red' : item.urgency === 'urgent' ? 'orange' : 'gray'
            }
          >
            {t(`cases.priority.${item.urgency}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('triage.receivedOn', { day: item.receivedOn })}
          </Text>
        </Group>
        {opened.ok && opened.kind === 'submission' ? (
          <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="triage-content">
            {formText(opened.form)}
          </Text>
        ) : (
          <Alert color="red" variant="light">
            {t('triage.unreadable')}
          </Alert>
        )}
        <Group gap="xs">
          <Button size="xs" onClick={() => setMode('convert')} disabled={!opened.ok}>
            {t('triage.convert')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => setMode('merge')}
            disabled={!opened.ok}
          >
            {t('triage.merge')}
          </Button>
          <Button size="xs" variant="default" color="orange" onClick={() => void discard('spam')}>
            {t('triage.spam')}
          </Button>
          <Button size="xs" variant="default" color="red" onClick={() => void discard('delete')}>
            {t('triage.delete')}
          </Button>
        </Group>
        {mode === 'convert' && (
          <Group align="flex-end">
            <TextInput
              label={t('triage.alias')}
              description={t('triage.aliasHint')}
              required
              value={alias}
              onChange={(e) => setAlias(e.currentTarget.value)}
            />
            <Select
              label={t('triage.assignee')}
              required
              searchable
              data={caseworkers}
              value={assigneeId}
              onChange={setAssigneeId}
            />
            <Button onClick={() => void convert()} loading={busy}>
              {t('triage.createCase')}
            </Button>
          </Group>
        )}
        {mode === 'merge' && (
          <Group align="flex-end">
            <TextInput
              label={t('triage.caseCode')}
              value={mergeCode}
              onChange={(e) => setMergeCode(e.currentTarget.value)}
            />
            <Button onClick={() => void merge()} loading={busy}>
              {t('triage.mergeInto')}
            </Button>
          </Group>
        )}
        {failed && (
          <Alert color="red" variant="light" role="alert">
            {t('triage.actionFailed')}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function FollowUpCard({
  ctx,
  item,
  opened,
}: {
  ctx: CaseSession;
  item: TriageFollowUp;
  opened: OpenedIntake;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const file = async () => {
    if (!opened.ok || opened.kind !== 'follow_up') return;
    setBusy(true);
    setFailed(false);
    try {
      const key = await caseKeyFor(ctx, item.caseCode);
      const entry = await intakeEntry(
        ctx.worker,
        key,
        'follow_up',
        opened.text,
        opened.replyPublicKey,
      );
      await api.request(routes.fileFollowUp, { params: { messageId: item.id }, body: { entry } });
      await queryClient.invalidateQueries({ queryKey: queueKey });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="md" data-testid="triage-follow-up">
      <Stack gap="xs">
        <Group gap="xs">
          <Anchor component={Link} to={`/cases/${item.caseCode}`} ff="monospace">
            {item.caseCode}
          </Anchor>
          <Text size="sm" c="dimmed">
            {t('triage.receivedOn', { day: item.sentOn })}
          </Text>
        </Group>
        {opened.ok && opened.kind === 'follow_up' ? (
          <Text style={{ whiteSpace: 'pre-wrap' }}>{opened.text}</Text>
        ) : (
          <Alert color="red" variant="light">
            {t('triage.unreadable')}
          </Alert>
        )}
        <Button
          size="xs"
          w="fit-content"
          onClick={() => void file()}
          loading={busy}
          disabled={!opened.ok}
        >
          {t('triage.file')}
        </Button>
        {failed && (
          <Alert color="red" variant="light" role="alert">
            {t('triage.actionFailed')}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
