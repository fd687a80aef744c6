import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import {
  CASE_PRIORITIES,
  NEEDS,
  routes,
  type CasePriority,
  type CaseProfile,
} from '@haven/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { encrypt, indexesOf, profileRef, summaryOf, summaryRef } from '../crypto/case-crypto';
import { useIndexKey } from '../hooks/useIndexKey';
import { checkProfile, draftOf, type ProfileDraft } from '../utils/profile-draft';
import type { FieldProblems } from '../utils/validation';
import { writeProblemOf, type WriteProblem } from '../utils/write-errors';
import type { CaseTabProps } from './CasePage';
import { DuplicateWarning } from './DuplicateWarning';
import { ProfileForm } from './ProfileForm';
import { WriteError } from './WriteError';

/** The profile, read-only until "Edit"; a save carries the version it was based on. */
export function ProfileTab({ ctx, loaded, reload }: CaseTabProps) {
  const { t } = useTranslation();
  const { detail, opened } = loaded;
  const index = useIndexKey(ctx);
  const [draft, setDraft] = useState<ProfileDraft | null>(null);
  const [priority, setPriority] = useState<CasePriority>(detail.priority);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const [saving, setSaving] = useState(false);

  if (!opened.profile.ok) {
    return (
      <Alert color="red" variant="light" role="alert">
        {t('cases.unreadable')}
      </Alert>
    );
  }
  const profile = opened.profile.value;

  const save = async () => {
    if (!draft || !opened.key) return;
    const checked = checkProfile(draft);
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    setSaving(true);
    try {
      await api.request(routes.updateCase, {
        params: { code: detail.code },
        body: {
          expectedVersion: detail.version,
          priority,
          profile: await encrypt(ctx.worker, opened.key, profileRef, checked.value),
          summary: await encrypt(
            ctx.worker,
            opened.key,
            summaryRef,
            summaryOf(checked.value),
            'summary',
          ),
          ...(index.data
            ? { blindIndexes: await indexesOf(ctx.worker, index.data, checked.value) }
            : {}),
        },
      });
      setDraft(null);
      setProblem(null);
      await reload();
    } catch (error) {
      setProblem(writeProblemOf(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="md">
      <WriteError
        problem={problem}
        onClose={() => setProblem(null)}
        onReload={() => {
          setProblem(null);
          setDraft(null);
          void reload();
        }}
      />
      {draft ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          noValidate
        >
          <Stack gap="md" maw={900}>
            <Select
              w={200}
              label={t('cases.list.priority')}
              data={CASE_PRIORITIES.map((p) => ({ value: p, label: t(`cases.priority.${p}`) }))}
              value={priority}
              allowDeselect={false}
              onChange={(value) => value && setPriority(value as CasePriority)}
            />
            <ProfileForm draft={draft} onChange={setDraft} problems={problems} />
            <DuplicateWarning
              worker={ctx.worker}
              channels={draft.channels}
              index={index.isPending ? undefined : index.data}
              ownCode={detail.code}
            />
            <Group>
              <Button type="submit" loading={saving}>
                {t('cases.profile.save')}
              </Button>
              <Button variant="default" onClick={() => setDraft(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <>
          <Group>
            <Button
              variant="light"
              disabled={!opened.key || detail.rotationDue}
              onClick={() => {
                setPriority(detail.priority);
                setDraft(draftOf(profile));
              }}
            >
              {t('cases.profile.edit')}
            </Button>
          </Group>
          <ProfileView profile={profile} />
        </>
      )}
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap' }}>
        {value.trim() === '' ? t('cases.none') : value}
      </Text>
    </Stack>
  );
}

export function ProfileView({ profile }: { profile: CaseProfile }) {
  const { t } = useTranslation();
  const needs = NEEDS.filter((n) => profile.needs[n]);
  return (
    <Stack gap="md" data-testid="profile-view">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Field label={t('cases.profile.alias')} value={profile.alias} />
        <Field label={t('cases.profile.location')} value={profile.location} />
        <Field label={t('cases.profile.safeTimes')} value={profile.safeTimes} />
        <Field label={t('cases.profile.languages')} value={profile.languages.join(', ')} />
      </SimpleGrid>
      <Stack gap={4}>
        <Title order={3} size="h5">
          {t('cases.profile.channels')}
        </Title>
        {profile.channels.length === 0 ? (
          <Text>{t('cases.none')}</Text>
        ) : (
          profile.channels.map((c, i) => (
            <Text key={i}>
              {t(`cases.channelType.${c.type}`)}
              {c.app && ` (${c.app})`}: {c.value}
              {c.note && ` — ${c.note}`}
            </Text>
          ))
        )}
      </Stack>
      <Field label={t('cases.profile.situation')} value={profile.situation} />
      <Field label={t('cases.profile.risks')} value={profile.risks} />
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {t('cases.profile.needs')}
        </Text>
        <Group gap="xs">
          {needs.length === 0 ? (
            <Text>{t('cases.none')}</Text>
          ) : (
            needs.map((n) => (
              <Badge key={n} variant="light">
                {t(`cases.need.${n}`)}
              </Badge>
            ))
          )}
        </Group>
      </Stack>
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {t('cases.profile.consent')}
        </Text>
        {(['contact', 'shareWithPartners', 'keepData'] as const).map((item) => (
          <Text key={item} size="sm">
            {profile.consent[item] ? '✓' : '✗'} {t(`cases.consent.${item}`)}
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}
