import { Alert, Anchor, Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { ContactEntry, routes, type FollowUpItem } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { decryptAll, entryRef, openGrants, type Opened } from '../crypto/case-crypto';
import { useCaseSession } from '../hooks/useCaseSession';

interface Row {
  item: FollowUpItem;
  content: Opened<ContactEntry>;
}

/** "My follow-ups": overdue, then due within a week. Only the day is stored in clear. */
export function FollowUpsPage() {
  const { t } = useTranslation();
  const ctx = useCaseSession();
  const title = t('cases.followUps.title');
  useDocumentTitle(title);
  const directory = ctx?.directory;
  const query = useQuery({
    queryKey: ['cases', 'follow-ups', ctx?.user ?? null],
    enabled: ctx !== null && directory !== undefined,
    refetchOnWindowFocus: false,
    gcTime: 60_000,
    queryFn: async ({ signal }) => {
      if (!ctx || !directory) throw new Error('not signed in');
      const answer = await api.request(routes.followUps, { signal });
      const all = [...answer.overdue, ...answer.due];
      const keys = await openGrants(
        ctx.worker,
        ctx.user,
        directory,
        all.map((i) => ({ caseId: i.caseId, version: i.keyVersion, grant: i.grant })),
      );
      const contents = await decryptAll(
        ctx.worker,
        all.map((i, n) => ({
          key: keys[n] ?? null,
          ref: entryRef(i.kind, i.entryId),
          envelope: i.envelope,
          schema: ContactEntry,
        })),
      );
      const rows: Row[] = all.map((item, n) => ({ item, content: contents[n] ?? { ok: false } }));
      return {
        today: answer.today,
        overdue: rows.slice(0, answer.overdue.length),
        due: rows.slice(answer.overdue.length),
      };
    },
  });

  return (
    <Stack gap="md">
      <Title order={1}>{title}</Title>
      {query.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('cases.errors.load')}
        </Alert>
      )}
      {!query.data ? (
        !query.isError && (
          <Group>
            <Loader size="sm" />
            <Text>{t('cases.loading')}</Text>
          </Group>
        )
      ) : (
        <>
          <Section title={t('cases.followUps.overdue')} rows={query.data.overdue} overdue />
          <Section title={t('cases.followUps.due')} rows={query.data.due} overdue={false} />
        </>
      )}
    </Stack>
  );
}

function Section({ title, rows, overdue }: { title: string; rows: Row[]; overdue: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid={overdue ? 'follow-ups-overdue' : 'follow-ups-due'}>
      <Title order={2} size="h4">
        {title}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed">{t('cases.followUps.none')}</Text>
      ) : (
        rows.map(({ item, content }) => (
          <Card key={item.entryId} withBorder padding="sm" data-code={item.code}>
            <Group gap="xs">
              <Badge color={overdue ? 'red' : 'blue'} variant="light">
                {item.followUpOn}
              </Badge>
              <Anchor component={Link} to={`/cases/${item.code}`} ff="monospace">
                {item.code}
              </Anchor>
            </Group>
            {content.ok ? (
              <Stack gap={2} mt={4}>
                <Text fw={500}>{content.value.nextStep || t('cases.followUps.noNextStep')}</Text>
                <Text size="sm" c="dimmed" lineClamp={2}>
                  {content.value.summary}
                </Text>
              </Stack>
            ) : (
              <Text c="red">{t('cases.unreadable')}</Text>
            )}
          </Card>
        ))
      )}
    </Stack>
  );
}
