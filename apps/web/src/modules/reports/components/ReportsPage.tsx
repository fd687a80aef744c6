import {
  Alert,
  Button,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { CASE_PRIORITIES, CASE_STATUSES, type ReportQuery } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { reportSummaryQuery } from '../api/reports-api';
import { toBars } from '../utils/bars';
import { BarList } from './BarList';

/**
 * Aggregate reports for coordinators and auditors: cases by status and priority and the time
 * to first contact, as bars and tables. No case is named; counts under five show as "<5".
 */
export function ReportsPage() {
  const { t } = useTranslation();
  const title = t('nav.reports');
  useDocumentTitle(title);
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [query, setQuery] = useState<ReportQuery>({});
  const report = useQuery(reportSummaryQuery(query));
  const data = report.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({
      ...(draft.from ? { from: draft.from } : {}),
      ...(draft.to ? { to: draft.to } : {}),
    });
  };
  const statusLabel = (s: (typeof CASE_STATUSES)[number]) => t(`cases.status.${s}`);
  const priorityLabel = (p: (typeof CASE_PRIORITIES)[number]) => t(`cases.priority.${p}`);

  return (
    <Stack gap="lg">
      <Title order={1}>{title}</Title>
      <Text size="sm" c="dimmed">
        {t('reports.intro')}
      </Text>
      <form onSubmit={submit} aria-label={t('reports.range')}>
        <Group align="end" gap="sm">
          <TextInput
            type="date"
            label={t('reports.from')}
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('reports.to')}
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
          <Button type="submit">{t('reports.apply')}</Button>
        </Group>
      </form>
      {report.isPending && <Loader aria-label={t('reports.loading')} />}
      {report.isError && (
        <Alert color="red" role="alert">
          {t('reports.error')}
        </Alert>
      )}
      {data && (
        <>
          <Text data-testid="report-total">
            {t('reports.total', { total: String(data.cases.total) })}
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                {t('reports.byStatus')}
              </Title>
              <BarList
                label={t('reports.byStatus')}
                bars={toBars(
                  data.cases.byStatus.map((s) => ({
                    key: s.status,
                    label: statusLabel(s.status),
                    count: s.count,
                  })),
                )}
              />
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                {t('reports.byPriority')}
              </Title>
              <BarList
                label={t('reports.byPriority')}
                bars={toBars(
                  data.cases.byPriority.map((p) => ({
                    key: p.priority,
                    label: priorityLabel(p.priority),
                    count: p.count,
                  })),
                )}
              />
            </Paper>
          </SimpleGrid>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('reports.byStatusAndPriority')}
            </Title>
            <Table aria-label={t('reports.byStatusAndPriority')} withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th />
                  {CASE_PRIORITIES.map((p) => (
                    <Table.Th key={p}>{priorityLabel(p)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {CASE_STATUSES.map((s) => (
                  <Table.Tr key={s}>
                    <Table.Th>{statusLabel(s)}</Table.Th>
                    {CASE_PRIORITIES.map((p) => (
                      <Table.Td key={p}>
                        {String(
                          data.cases.byStatusAndPriority.find(
                            (c) => c.status === s && c.priority === p,
                          )?.count ?? 0,
                        )}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="xs">
              {t('reports.firstContact')}
            </Title>
            <Text data-testid="median-first-contact">
              {data.timings.intakeToFirstContact.medianDays === null
                ? t('reports.medianHidden', {
                    cases: String(data.timings.intakeToFirstContact.cases),
                  })
                : t('reports.median', {
                    days: data.timings.intakeToFirstContact.medianDays,
                    cases: String(data.timings.intakeToFirstContact.cases),
                  })}
            </Text>
            <Text size="xs" c="dimmed">
              {t('reports.firstContactHow')}
            </Text>
          </Paper>
          {data.unavailable.length > 0 && (
            <Alert color="gray" variant="light" title={t('reports.unavailableTitle')}>
              {data.unavailable.map((u) => (
                <Text key={u.section} size="sm">
                  {u.section === 'referrals' || u.section === 'referralCompletion'
                    ? t(`reports.unavailable.${u.section}`)
                    : u.reason}
                </Text>
              ))}
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            {t('reports.suppression', { generated: data.generatedOn })}
          </Text>
        </>
      )}
    </Stack>
  );
}
