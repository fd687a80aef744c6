import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import {
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  ContactEntry,
  routes,
  type AccessNote,
  type CaseEntry,
  type StatusNote,
} from '@haven/contracts';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { encrypt, entryRef, type DecryptedEntry } from '../crypto/case-crypto';
import { useProblemText } from '../utils/useProblemText';
import { problemsOf, type FieldProblems } from '../utils/validation';
import { writeProblemOf, type WriteProblem } from '../utils/write-errors';
import type { CaseTabProps } from './CasePage';
import { WriteError } from './WriteError';

const today = () => new Date().toISOString().slice(0, 10);

interface ContactDraft {
  date: string;
  channel: string;
  direction: string;
  summary: string;
  nextStep: string;
  followUpOn: string;
}

const emptyContact = (): ContactDraft => ({
  date: today(),
  channel: 'messenger',
  direction: 'inbound',
  summary: '',
  nextStep: '',
  followUpOn: '',
});

/** The contact log, oldest first, and the form to log a contact with its next step. */
export function TimelineTab({ ctx, loaded, reload }: CaseTabProps) {
  const { t } = useTranslation();
  const { detail, opened } = loaded;
  const [draft, setDraft] = useState<ContactDraft>(emptyContact);
  const [editing, setEditing] = useState<CaseEntry | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [problem, setProblem] = useState<WriteProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const problemText = useProblemText(problems);
  const nameOf = (id: string) => ctx.directory?.get(id)?.username ?? t('cases.unknownPerson');
  const byId = new Map(opened.entries.map((e) => [e.id, e]));

  const save = async () => {
    if (!opened.key) return;
    const parsed = ContactEntry.safeParse({
      date: draft.date,
      channel: draft.channel,
      direction: draft.direction,
      summary: draft.summary,
      nextStep: draft.nextStep,
    });
    const followUp = draft.followUpOn.trim();
    const followUpOk = followUp === '' || /^\d{4}-\d{2}-\d{2}$/.test(followUp);
    if (!parsed.success || !followUpOk) {
      setProblems({
        ...(parsed.success ? {} : problemsOf(parsed.error)),
        ...(followUpOk ? {} : { followUpOn: { key: 'date' as const } }),
      });
      return;
    }
    setProblems({});
    setSaving(true);
    try {
      const id = editing?.id ?? crypto.randomUUID();
      const envelope = await encrypt(ctx.worker, opened.key, entryRef('contact', id), parsed.data);
      const followUpOn = followUp === '' ? null : followUp;
      if (editing) {
        await api.request(routes.updateCaseEntry, {
          params: { code: detail.code, entryId: id },
          body: {
            expectedVersion: editing.version,
            envelope,
            followUpOn,
            followUpUserId: followUpOn ? (editing.followUpUserId ?? ctx.me.id) : null,
          },
        });
      } else {
        await api.request(routes.createCaseEntry, {
          params: { code: detail.code },
          body: { id, envelope, followUpOn },
        });
      }
      setDraft(emptyContact());
      setEditing(null);
      setProblem(null);
      await reload();
    } catch (error) {
      setProblem(writeProblemOf(error));
    } finally {
      setSaving(false);
    }
  };

  const markDone = async (entry: CaseEntry) => {
    try {
      await api.request(routes.updateCaseEntry, {
        params: { code: detail.code, entryId: entry.id },
        body: { expectedVersion: entry.version, envelope: entry.envelope, followUpOn: null },
      });
      await reload();
    } catch (error) {
      setProblem(writeProblemOf(error));
    }
  };

  const startEdit = (entry: CaseEntry, content: ContactEntry) => {
    setEditing(entry);
    setDraft({ ...content, followUpOn: entry.followUpOn ?? '' });
  };

  return (
    <Stack gap="md">
      <WriteError
        problem={problem}
        onClose={() => setProblem(null)}
        onReload={() => {
          setProblem(null);
          setEditing(null);
          void reload();
        }}
      />
      {detail.entries.length === 0 ? (
        <Text c="dimmed">{t('cases.timeline.empty')}</Text>
      ) : (
        <Stack
          gap="xs"
          component="ol"
          style={{ listStyle: 'none', padding: 0 }}
          data-testid="timeline"
        >
          {detail.entries.map((entry) => (
            <li key={entry.id}>
              <EntryCard
                entry={entry}
                opened={byId.get(entry.id)}
                nameOf={nameOf}
                mine={entry.followUpUserId === ctx.me.id}
                onEdit={startEdit}
                onDone={(e) => void markDone(e)}
              />
            </li>
          ))}
        </Stack>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
        aria-label={t('cases.timeline.formTitle')}
      >
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {editing ? t('cases.timeline.editTitle') : t('cases.timeline.formTitle')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                type="date"
                label={t('cases.timeline.date')}
                required
                value={draft.date}
                onChange={(e) => setDraft({ ...draft, date: e.currentTarget.value })}
                error={problemText('date')}
              />
              <Select
                label={t('cases.timeline.channel')}
                data={CONTACT_CHANNELS.map((c) => ({
                  value: c,
                  label: t(`cases.contactChannel.${c}`),
                }))}
                value={draft.channel}
                allowDeselect={false}
                onChange={(value) => value && setDraft({ ...draft, channel: value })}
              />
              <Select
                label={t('cases.timeline.direction')}
                data={CONTACT_DIRECTIONS.map((d) => ({
                  value: d,
                  label: t(`cases.direction.${d}`),
                }))}
                value={draft.direction}
                allowDeselect={false}
                onChange={(value) => value && setDraft({ ...draft, direction: value })}
              />
            </SimpleGrid>
            <Textarea
              label={t('cases.timeline.summary')}
              required
              autosize
              minRows={3}
              value={draft.summary}
              onChange={(e) => setDraft({ ...draft, summary: e.currentTarget.value })}
              error={problemText('summary')}
              data-testid="contact-summary"
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('cases.timeline.nextStep')}
                value={draft.nextStep}
                onChange={(e) => setDraft({ ...draft, nextStep: e.currentTarget.value })}
                error={problemText('nextStep')}
                data-testid="contact-next-step"
              />
              <TextInput
                type="date"
                label={t('cases.timeline.followUpOn')}
                description={t('cases.timeline.followUpHint')}
                value={draft.followUpOn}
                onChange={(e) => setDraft({ ...draft, followUpOn: e.currentTarget.value })}
                error={problemText('followUpOn')}
                data-testid="contact-follow-up"
              />
            </SimpleGrid>
            <Group>
              <Button type="submit" loading={saving} disabled={!opened.key || detail.rotationDue}>
                {editing ? t('cases.timeline.saveEdit') : t('cases.timeline.add')}
              </Button>
              {editing && (
                <Button
                  variant="default"
                  onClick={() => {
                    setEditing(null);
                    setDraft(emptyContact());
                  }}
                >
                  {t('common.cancel')}
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
      </form>
    </Stack>
  );
}

interface EntryCardProps {
  entry: CaseEntry;
  opened: DecryptedEntry | undefined;
  nameOf: (id: string) => string;
  mine: boolean;
  onEdit: (entry: CaseEntry, content: ContactEntry) => void;
  onDone: (entry: CaseEntry) => void;
}

function EntryCard({ entry, opened, nameOf, mine, onEdit, onDone }: EntryCardProps) {
  const { t } = useTranslation();
  const content = opened?.content;
  return (
    <Card withBorder padding="sm" data-kind={entry.kind}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" c="dimmed">
          {t('cases.timeline.byline', { name: nameOf(entry.authorId), day: entry.createdOn })}
        </Text>
        {entry.followUpOn && (
          <Badge color={entry.followUpOn < today() ? 'red' : 'blue'} variant="light">
            {t('cases.timeline.followUpBadge', {
              day: entry.followUpOn,
              name: entry.followUpUserId ? nameOf(entry.followUpUserId) : '',
            })}
          </Badge>
        )}
      </Group>
      {!content?.ok ? (
        <Text c="red">{t('cases.unreadable')}</Text>
      ) : entry.kind === 'contact' ? (
        <ContactView
          content={content.value as ContactEntry}
          actions={
            <Group gap="xs">
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => onEdit(entry, content.value as ContactEntry)}
              >
                {t('cases.timeline.edit')}
              </Button>
              {mine && entry.followUpOn && (
                <Button size="compact-xs" variant="subtle" onClick={() => onDone(entry)}>
                  {t('cases.timeline.done')}
                </Button>
              )}
            </Group>
          }
        />
      ) : entry.kind === 'status_note' ? (
        <Text>
          {t('cases.timeline.statusNote', {
            from: t(`cases.status.${(content.value as StatusNote).from}`),
            to: t(`cases.status.${(content.value as StatusNote).to}`),
            reason: (content.value as StatusNote).reason,
          })}
        </Text>
      ) : (
        <Text>
          {t(`cases.timeline.access.${(content.value as AccessNote).action}`, {
            name: nameOf((content.value as AccessNote).userId),
            reason: (content.value as AccessNote).reason,
          })}
        </Text>
      )}
    </Card>
  );
}

function ContactView({ content, actions }: { content: ContactEntry; actions: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} mt={4}>
      <Group gap="xs">
        <Text fw={500}>{content.date}</Text>
        <Badge variant="outline">{t(`cases.contactChannel.${content.channel}`)}</Badge>
        <Badge variant="outline" color="gray">
          {t(`cases.direction.${content.direction}`)}
        </Badge>
        {actions}
      </Group>
      <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="entry-summary">
        {content.summary}
      </Text>
      {content.nextStep && (
        <Text size="sm">
          <Text span fw={500}>
            {t('cases.timeline.nextStep')}:
          </Text>{' '}
          {content.nextStep}
        </Text>
      )}
    </Stack>
  );
}
