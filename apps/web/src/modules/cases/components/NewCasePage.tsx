import { Alert, Button, Group, Select, Stack, Title } from '@mantine/core';
import { CASE_PRIORITIES, routes, type CasePriority } from '@haven/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import {
  encrypt,
  indexesOf,
  profileRef,
  rememberKey,
  sealTo,
  summaryOf,
  summaryRef,
} from '../crypto/case-crypto';
import { useCaseSession } from '../hooks/useCaseSession';
import { useIndexKey } from '../hooks/useIndexKey';
import { checkProfile, emptyDraft } from '../utils/profile-draft';
import type { FieldProblems } from '../utils/validation';
import { DuplicateWarning } from './DuplicateWarning';
import { ProfileForm } from './ProfileForm';

/**
 * Opening a case: the browser makes the case key, encrypts profile and summary, seals the key
 * to the caller and a supervising coordinator, computes blind indexes of the contact channels,
 * and sends it all in one request (the server picks the code).
 */
export function NewCasePage() {
  const { t } = useTranslation();
  const ctx = useCaseSession();
  const index = useIndexKey(ctx);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(emptyDraft);
  const [priority, setPriority] = useState<CasePriority>('urgent');
  const [supervisorId, setSupervisorId] = useState<string | null>(
    ctx?.me.role === 'coordinator' ? ctx.me.id : null,
  );
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [saving, setSaving] = useState(false);
  const [failed, setFailed] = useState(false);
  const title = t('cases.new.title');
  useDocumentTitle(title);

  const colleagues = [...(ctx?.directory?.values() ?? [])].filter((c) => c.active);
  const coordinators = colleagues
    .filter((c) => c.role === 'coordinator')
    .map((c) => ({ value: c.id, label: c.username }));
  const caseworkers = colleagues
    .filter((c) => c.role === 'caseworker')
    .map((c) => ({ value: c.id, label: c.username }));
  const isCoordinator = ctx?.me.role === 'coordinator';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ctx?.directory) return;
    const checked = checkProfile(draft);
    const supervisor = supervisorId ? ctx.directory.get(supervisorId) : undefined;
    const assignee = isCoordinator && assigneeId ? ctx.directory.get(assigneeId) : undefined;
    const problemsNow: Record<string, { key: 'required' }> = {};
    if (!supervisor) problemsNow.supervisor = { key: 'required' };
    // DESIGN.md: at least two people hold every case's key.
    if (supervisor?.id === ctx.me.id && !assignee) problemsNow.assignee = { key: 'required' };
    if (!checked.ok || Object.keys(problemsNow).length > 0 || !supervisor) {
      setProblems({ ...(checked.ok ? {} : checked.problems), ...problemsNow });
      return;
    }
    const me = ctx.directory.get(ctx.me.id);
    if (!me) {
      setFailed(true);
      return;
    }
    setProblems({});
    setSaving(true);
    setFailed(false);
    try {
      const id = crypto.randomUUID();
      const key = await ctx.worker.createCaseKey(id);
      const grantees = [
        ...new Map(
          [me, supervisor, ...(assignee ? [assignee] : [])].map((g) => [g.id, g]),
        ).values(),
      ];
      const created = await api.request(routes.createCase, {
        body: {
          id,
          priority,
          supervisorId: supervisor.id,
          ...(isCoordinator ? { assigneeId: assignee?.id ?? null } : {}),
          profile: await encrypt(ctx.worker, key.caseKey, profileRef, checked.value),
          summary: await encrypt(
            ctx.worker,
            key.caseKey,
            summaryRef,
            summaryOf(checked.value),
            'summary',
          ),
          grants: await Promise.all(
            grantees.map(async (g) => ({
              userId: g.id,
              envelope: await sealTo(ctx.worker, key.caseKey, g, ctx.user),
            })),
          ),
          blindIndexes: index.data ? await indexesOf(ctx.worker, index.data, checked.value) : [],
        },
      });
      rememberKey(ctx.user, id, 1, key.caseKey);
      await queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
      void navigate(`/cases/${created.code}`);
    } catch {
      setFailed(true);
    } finally {
      setSaving(false);
    }
  };

  if (!ctx) return null;
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="lg" maw={900}>
        <Title order={1}>{title}</Title>
        <Group align="flex-start">
          <Select
            w={200}
            label={t('cases.list.priority')}
            data={CASE_PRIORITIES.map((p) => ({ value: p, label: t(`cases.priority.${p}`) }))}
            value={priority}
            allowDeselect={false}
            onChange={(value) => value && setPriority(value as CasePriority)}
          />
          <Select
            w={260}
            label={t('cases.new.supervisor')}
            description={t('cases.new.supervisorHint')}
            required
            searchable
            data={coordinators}
            value={supervisorId}
            onChange={setSupervisorId}
            error={problems.supervisor ? t('cases.validation.required') : undefined}
            data-testid="supervisor"
          />
          {isCoordinator && (
            <Select
              w={260}
              label={t('cases.new.assignee')}
              description={t('cases.new.assigneeHint')}
              clearable
              searchable
              data={caseworkers}
              value={assigneeId}
              onChange={setAssigneeId}
              error={problems.assignee ? t('cases.new.needsSecond') : undefined}
            />
          )}
        </Group>
        <ProfileForm draft={draft} onChange={setDraft} problems={problems} />
        <DuplicateWarning
          worker={ctx.worker}
          channels={draft.channels}
          index={index.isPending ? undefined : index.data}
        />
        {Object.keys(problems).length > 0 && (
          <Alert color="red" variant="light" role="alert">
            {t('cases.validation.fixFields')}
          </Alert>
        )}
        {failed && (
          <Alert color="red" variant="light" role="alert">
            {t('cases.errors.save')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={saving} disabled={!ctx.directory}>
            {t('cases.new.create')}
          </Button>
          <Button variant="default" onClick={() => void navigate('/cases')}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
