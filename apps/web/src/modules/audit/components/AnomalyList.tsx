import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import type { AnomalyFlag } from '@haven/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

const KNOWN_DETAILS = new Set(['not_assigned', 'refused', 'account', 'all_accounts']);

/** Anomaly flags as a table; `onShow` opens the log around one of them. */
export function AnomalyList({
  flags,
  onShow,
}: {
  flags: readonly AnomalyFlag[];
  onShow?: (flag: AnomalyFlag) => void;
}) {
  const { t } = useTranslation();
  if (flags.length === 0) return <Text c="dimmed">{t('audit.anomalies.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table aria-label={t('audit.anomalies.label')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('audit.anomalies.kindHeader')}</Table.Th>
            <Table.Th>{t('audit.events.person')}</Table.Th>
            <Table.Th>{t('audit.events.target')}</Table.Th>
            <Table.Th>{t('audit.events.day')}</Table.Th>
            <Table.Th>{t('audit.anomalies.when')}</Table.Th>
            <Table.Th>{t('audit.anomalies.count')}</Table.Th>
            {onShow && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {flags.map((flag) => (
            <Table.Tr
              key={`${flag.kind}-${flag.firstSeq}-${flag.actor?.id ?? ''}`}
              data-kind={flag.kind}
            >
              <Table.Td>
                <Badge color="orange" variant="light">
                  {t(`audit.anomalies.kind.${flag.kind}`)}
                </Badge>
                {flag.detail && KNOWN_DETAILS.has(flag.detail) && (
                  <Text size="xs" c="dimmed">
                    {t(`audit.anomalies.detail.${flag.detail as 'refused'}`)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {flag.actor ? (
                  <Anchor component={Link} to={`/audit/people/${flag.actor.id}`}>
                    {flag.actor.username ?? flag.actor.id}
                  </Anchor>
                ) : (
                  t('audit.anomalies.everyone')
                )}
              </Table.Td>
              <Table.Td>{flag.kind === 'unassigned_read' ? flag.target : ''}</Table.Td>
              <Table.Td>{flag.day}</Table.Td>
              <Table.Td>{flag.from === flag.to ? flag.from : `${flag.from}–${flag.to}`}</Table.Td>
              <Table.Td>{flag.count}</Table.Td>
              {onShow && (
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => onShow(flag)}>
                    {t('audit.anomalies.show')}
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
