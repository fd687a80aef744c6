import { Alert, Stack, Table, Text } from '@mantine/core';
import type { ReferralPacketContent } from '@haven/contracts';
import { useTranslation } from 'react-i18next';
import type { Opened } from '../../cases/crypto/case-crypto';
import { fieldsIn } from '../utils/packet-fields';

/** A decrypted packet: exactly the fields shared, nothing else of the case. */
export function PacketView({ packet }: { packet: Opened<ReferralPacketContent> }) {
  const { t } = useTranslation();
  if (!packet.ok) {
    return (
      <Alert color="red" variant="light" data-testid="packet-unreadable">
        {t('referrals.packet.unreadable')}
      </Alert>
    );
  }
  const fields = fieldsIn(packet.value);
  return (
    <Stack gap={4} data-testid="packet">
      {fields.length === 0 && <Text c="dimmed">{t('referrals.packet.empty')}</Text>}
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          {fields.map((field) => (
            <Table.Tr key={field} data-field={field}>
              <Table.Th w={160} style={{ verticalAlign: 'top' }}>
                {t(`referrals.field.${field}`)}
              </Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>
                {packet.value.fields[field] || t('referrals.packet.blank')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
