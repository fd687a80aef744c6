import {
  Alert,
  Anchor,
  Badge,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { BarList } from '../../reports/components/BarList';
import { toBars } from '../../reports/utils/bars';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { userActivityQuery } from '../api/audit-api';
import { AnomalyList } from './AnomalyList';
import { AuditEventTable } from './AuditEventTable';
import { ExportButtons } from './AuditPage';

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

/** One person's activity over the last 30 days: counts, cases read, flags, and their events. */
export function UserActivityPage() {
  const { t } = useTranslation();
  const { userId = '' } = useParams();
  const activity = useQuery(userActivityQuery(userId, {}));
  const user = activity.data?.user;
  useDocumentTitle(user ? t('audit.person.title', { username: user.username }) : t('nav.audit'));
  const filter = { actor: userId };

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/audit" size="sm">
        {t('audit.person.back')}
      </Anchor>
      {activity.isPending && <Loader aria-label={t('audit.events.loading')} />}
      {activity.isError && (
        <Alert color="red" role="alert">
          {t('audit.person.error')}
        </Alert>
      )}
      {activity.data && user && (
        <>
          <Group gap="sm">
            <Title order={1}>{t('audit.person.title', { username: user.username })}</Title>
            <Badge variant="light">{t(`roles.${user.role}`)}</Badge>
            {!user.active && <Badge color="gray">{t('audit.person.disabled')}</Badge>}
          </Group>
          <Text size="sm" c="dimmed">
            {t('audit.person.range', { from: activity.data.from, to: activity.data.to })}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Stat label={t('audit.person.total')} value={activity.data.total} />
            <Stat label={t('audit.person.casesRead')} value={activity.data.casesRead} />
            <Stat label={t('audit.person.failedSignIns')} value={activity.data.failedSignIns} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('audit.person.byAction')}
              </Title>
              <Table aria-label={t('audit.person.byAction')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.events.action')}</Table.Th>
                    <Table.Th>{t('audit.outcome.ok')}</Table.Th>
                    <Table.Th>{t('audit.outcome.denied')}</Table.Th>
                    <Table.Th>{t('audit.outcome.failed')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {activity.data.byAction.map((a) => (
                    <Table.Tr key={a.action}>
                      <Table.Td>{a.action}</Table.Td>
                      <Table.Td>{a.ok}</Table.Td>
                      <Table.Td>{a.denied}</Table.Td>
                      <Table.Td>{a.failed}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('audit.person.byDay')}
              </Title>
              <BarList
                label={t('audit.person.byDay')}
                bars={toBars(
                  activity.data.byDay.map((d) => ({ key: d.day, label: d.day, count: d.count })),
                )}
              />
            </Stack>
          </SimpleGrid>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('audit.tabs.anomalies')}
            </Title>
            <AnomalyList flags={activity.data.flags} />
          </Stack>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('audit.person.events')}
            </Title>
            <ExportButtons filter={filter} />
            <AuditEventTable filter={filter} />
          </Stack>
        </>
      )}
    </Stack>
  );
}
