import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { routes } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CaseTabProps } from '../../cases/components/CasePage';
import { intakeEntry, intakeMessages, sealStaffReply } from '../crypto/triage-crypto';

const REPLY_MAX = 4000;

/**
 * The case's anonymous thread(s): what the person wrote and what staff answered, read from the
 * case's intake entries (the staff cannot reopen sealed replies, so each reply is also kept as
 * an entry under the case key), and a form to answer. A reply is sealed in the worker to the
 * reply key found INSIDE the person's sealed submission (kept in the case's intake entry), not
 * to a key the server hands out; the server only confirms a thread with that key is linked.
 */
export function MessagesTab({ ctx, loaded, reload }: CaseTabProps) {
  const { t } = useTranslation();
  const { detail, opened } = loaded;
  const [text, setText] = useState('');
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<'empty' | 'long' | 'failed' | null>(null);
  const [sent, setSent] = useState(false);
  const threads = useQuery({
    queryKey: ['triage', 'threads', detail.code, detail.version, detail.entries.length],
    refetchOnWindowFocus: false,
    queryFn: ({ signal }) =>
      api.request(routes.caseThreads, { params: { code: detail.code }, signal }),
  });
  const messages = useQuery({
    queryKey: ['triage', 'messages', detail.id, detail.keyVersion, detail.entries.length, ctx.user],
    enabled: opened.key !== null,
    queryFn: () => intakeMessages(ctx.worker, opened.key, detail),
  });

  // Reply keys the case's own (encrypted) entries vouch for, that the server says are linked.
  const linked = new Set(threads.data?.threads.map((th) => th.replyPublicKey) ?? []);
  const vouched = [
    ...new Set(
      (messages.data ?? [])
        .filter((m) => m.content.intake.kind === 'submission')
        .map((m) => m.content.intake.replyPublicKey),
    ),
  ].filter((k) => linked.has(k));
  const replyKey = chosenKey && vouched.includes(chosenKey) ? chosenKey : (vouched[0] ?? null);
  const pending = threads.data?.threads.reduce((n, th) => n + th.pendingFollowUps, 0) ?? 0;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const body = text.trim();
    if (body === '') return setProblem('empty');
    if (body.length > REPLY_MAX) return setProblem('long');
    if (!replyKey || !opened.key) return setProblem('failed');
    setSending(true);
    setProblem(null);
    setSent(false);
    try {
      await api.request(routes.replyToCase, {
        params: { code: detail.code },
        body: {
          replyPublicKey: replyKey,
          envelope: await sealStaffReply(ctx.worker, replyKey, body),
          entry: await intakeEntry(ctx.worker, opened.key, 'reply', body, replyKey),
        },
      });
      setText('');
      setSent(true);
      await reload();
    } catch {
      setProblem('failed');
    } finally {
      setSending(false);
    }
  };

  if (threads.isError || messages.isError) {
    return (
      <Alert color="red" variant="light" role="alert">
        {t('triage.messages.loadFailed')}
      </Alert>
    );
  }
  if (threads.data && threads.data.threads.length === 0) {
    return <Text c="dimmed">{t('triage.messages.none')}</Text>;
  }
  return (
    <Stack gap="sm" maw={800}>
      {pending > 0 && (
        <Alert color="yellow" variant="light" role="status">
          {t('triage.messages.pending', { count: pending })}
        </Alert>
      )}
      <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0 }}>
        {(messages.data ?? []).map((m) => (
          <Card component="li" key={m.id} withBorder padding="sm" data-testid="case-message">
            <Group gap="xs">
              <Badge variant="light" color={m.content.direction === 'outbound' ? 'blue' : 'gray'}>
                {t(`triage.messages.kind.${m.content.intake.kind}`)}
              </Badge>
              <Text size="sm" c="dimmed">
                {m.content.date}
              </Text>
            </Group>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{m.content.summary}</Text>
          </Card>
        ))}
      </Stack>
      <form onSubmit={(e) => void send(e)} noValidate>
        <Stack gap="xs">
          {vouched.length > 1 && (
            <Select
              label={t('triage.messages.thread')}
              data={vouched.map((k, i) => ({ value: k, label: `${i + 1}` }))}
              value={replyKey}
              onChange={setChosenKey}
            />
          )}
          <Textarea
            label={t('triage.messages.replyLabel')}
            description={t('triage.messages.replyHint')}
            autosize
            minRows={3}
            maxLength={REPLY_MAX}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={
              problem === 'empty'
                ? t('triage.messages.empty')
                : problem === 'long'
                  ? t('triage.messages.long')
                  : undefined
            }
          />
          <Button type="submit" loading={sending} disabled={!replyKey} w="fit-content">
            {t('triage.messages.send')}
          </Button>
          {!replyKey && messages.data && threads.data && (
            <Text size="sm" c="dimmed">
              {t('triage.messages.noKey')}
            </Text>
          )}
          {sent && (
            <Alert color="green" variant="light" role="status">
              {t('triage.messages.sent')}
            </Alert>
          )}
          {problem === 'failed' && (
            <Alert color="red" variant="light" role="alert">
              {t('triage.messages.failed')}
            </Alert>
          )}
        </Stack>
      </form>
    </Stack>
  );
}
