import { Alert, Anchor, Badge, Button, Code, Loader, Stack, Table, Text } from '@mantine/core';
import type { AuditEventItem, AuditFilter } from '@haven/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { auditEventsQuery } from '../api/audit-api';
import { outcomeColor } from '../utils/filters';

function EventRow({ event }: { event: AuditEventItem }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-seq={event.seq}>
      <Table.Td>{event.seq}</Table.Td>
      <Table.Td>{event.day}</Table.Td>
      <Table.Td>{event.time ?? '—'}</Table.Td>
      <Table.Td>
        {event.actor ? (
          <Anchor component={Link} to={`/audit/people/${event.actor.id}`}>
            {event.actor.username ?? event.actor.id}
          </Anchor>
        ) : (
          <Text span c="dimmed" size="sm">
            {t('audit.events.anonymous')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{event.actor?.role ? t(`roles.${event.actor.role}`) : ''}</Table.Td>
      <Table.Td>
        <Code>{event.action}</Code>
      </Table.Td>
      <Table.Td>{event.target}</Table.Td>
      <Table.Td>
        <Badge color={outcomeColor(event.outcome)} variant="light">
          {event.outcome}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

/** The log under `filter`, newest first; older events page in on demand. */
export function AuditEventTable({ filter }: { filter: AuditFilter }) {
  const { t } = useTranslation();
  const events = useInfiniteQuery(auditEventsQuery(filter));
  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <Stack gap="xs">
      {events.isError && (
        <Alert color="red" role="alert">
          {t('audit.events.error')}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800}>
        <Table striped aria-label={t('audit.events.label')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.events.seq')}</Table.Th>
              <Table.Th>{t('audit.events.day')}</Table.Th>
              <Table.Th>{t('audit.events.time')}</Table.Th>
              <Table.Th>{t('audit.events.person')}</Table.Th>
              <Table.Th>{t('audit.events.role')}</Table.Th>
              <Table.Th>{t('audit.events.action')}</Table.Th>
              <Table.Th>{t('audit.events.target')}</Table.Th>
              <Table.Th>{t('audit.events.outcome')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((event) => (
              <EventRow key={event.seq} event={event} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {events.isPending && <Loader size="sm" aria-label={t('audit.events.loading')} />}
      {events.isSuccess && rows.length === 0 && <Text c="dimmed">{t('audit.events.none')}</Text>}
      {events.hasNextPage && (
        <Button
          variant="light"
          onClick={() => void events.fetchNextPage()}
          loading={events.isFetchingNextPage}
        >
          {t('audit.events.older')}
        </Button>
      )}
    </Stack>
  );
}
