import { Alert, Button, Group, Loader, Stack, Text, TextInput } from '@mantine/core';
import type { AnomalyFlag } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { anomaliesQuery } from '../api/audit-api';
import { AnomalyList } from './AnomalyList';

/** Anomaly flags for a range of days (the last seven unless chosen; at most 31). */
export function AnomalyPanel({ onShow }: { onShow: (flag: AnomalyFlag) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ from: '', to: '' });
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const report = useQuery(anomaliesQuery(range));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setRange({
      ...(draft.from ? { from: draft.from } : {}),
      ...(draft.to ? { to: draft.to } : {}),
    });
  };
  return (
    <Stack gap="sm">
      <form onSubmit={submit}>
        <Group align="end" gap="sm">
          <TextInput
            type="date"
            label={t('audit.filters.from')}
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('audit.filters.to')}
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
          <Button type="submit">{t('audit.filters.apply')}</Button>
        </Group>
      </form>
      {report.isPending && <Loader size="sm" aria-label={t('audit.events.loading')} />}
      {report.isError && (
        <Alert color="red" role="alert">
          {t('audit.anomalies.error')}
        </Alert>
      )}
      {report.data && (
        <>
          <Text size="sm" c="dimmed">
            {t('audit.anomalies.thresholds', {
              from: report.data.from,
              to: report.data.to,
              reads: report.data.thresholds.bulkReads,
              failures: report.data.thresholds.failedSignIns,
              total: report.data.thresholds.failedSignInsTotal,
              start: report.data.thresholds.offHoursStart,
              end: report.data.thresholds.offHoursEnd,
            })}
          </Text>
          <AnomalyList flags={report.data.flags} onShow={onShow} />
        </>
      )}
    </Stack>
  );
}
