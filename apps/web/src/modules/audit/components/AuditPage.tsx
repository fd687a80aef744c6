import { Alert, Button, Group, Stack, Tabs, Title } from '@mantine/core';
import type { AnomalyFlag, AuditFilter } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { auditUsersQuery, downloadExport } from '../api/audit-api';
import { EMPTY_DRAFT, toFilter, type FilterDraft } from '../utils/filters';
import { AnomalyPanel } from './AnomalyPanel';
import { AuditEventTable } from './AuditEventTable';
import { AuditFilters } from './AuditFilters';
import { ChainStatusPanel } from './ChainStatusPanel';

/** The log around a flag: its person, its case (if any) and its day. */
function draftFor(flag: AnomalyFlag): FilterDraft {
  return {
    ...EMPTY_DRAFT,
    actor: flag.kind === 'failed_sign_ins' ? null : (flag.actor?.id ?? null),
    target: flag.target ?? '',
    from: flag.day,
    to: flag.day,
  };
}

/** Export buttons for the view as filtered; the server signs and audits each export. */
export function ExportButtons({ filter }: { filter: AuditFilter }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState<'csv' | 'json' | null>(null);
  const run = (format: 'csv' | 'json') => {
    setFailed(false);
    setBusy(format);
    downloadExport(filter, format)
      .catch(() => setFailed(true))
      .finally(() => setBusy(null));
  };
  return (
    <Group gap="xs">
      <Button size="xs" variant="light" loading={busy === 'csv'} onClick={() => run('csv')}>
        {t('audit.export.csv')}
      </Button>
      <Button size="xs" variant="light" loading={busy === 'json'} onClick={() => run('json')}>
        {t('audit.export.json')}
      </Button>
      {failed && (
        <Alert color="red" role="alert" py={4}>
          {t('audit.export.failed')}
        </Alert>
      )}
    </Group>
  );
}

/**
 * The auditor's dashboard: whether the log is intact, the log itself (filtered, paged,
 * exported) and the anomaly flags. Metadata only: the API gives auditors no content.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const title = t('nav.audit');
  useDocumentTitle(title);
  const users = useQuery(auditUsersQuery);
  const [tab, setTab] = useState<string>('events');
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_DRAFT);
  const [filter, setFilter] = useState<AuditFilter>({});

  return (
    <Stack gap="lg">
      <Title order={1}>{title}</Title>
      <ChainStatusPanel />
      <Tabs value={tab} onChange={(value) => value && setTab(value)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="events">{t('audit.tabs.events')}</Tabs.Tab>
          <Tabs.Tab value="anomalies">{t('audit.tabs.anomalies')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="events" pt="md">
          <Stack gap="sm">
            <AuditFilters
              users={users.data?.users ?? []}
              draft={draft}
              onChange={setDraft}
              onApply={() => setFilter(toFilter(draft))}
              onClear={() => {
                setDraft(EMPTY_DRAFT);
                setFilter({});
              }}
            />
            <ExportButtons filter={filter} />
            <AuditEventTable filter={filter} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="anomalies" pt="md">
          <AnomalyPanel
            onShow={(flag) => {
              const next = draftFor(flag);
              setDraft(next);
              setFilter(toFilter(next));
              setTab('events');
            }}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
