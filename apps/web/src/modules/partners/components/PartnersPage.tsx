import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { routes, type PartnerOrg } from '@haven/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { ConfirmDialog } from '../../users/components/ConfirmDialog';
import { partnerMembersQuery, partnersQuery } from '../api/partners-api';
import { PartnerForm } from './PartnerForm';

const CAPACITY_COLOR = { available: 'green', limited: 'yellow', full: 'red' } as const;
const MEMBER_COLOR = { certified: 'green', pending_certification: 'yellow', disabled: 'gray' };

/**
 * The partner directory (admins and coordinators): organisations a referral can go to, with
 * the services they offer and how to reach them securely; their partner users.
 */
export function PartnersPage() {
  const { t } = useTranslation();
  const title = t('nav.partners');
  useDocumentTitle(title);
  const queryClient = useQueryClient();
  const partners = useQuery(partnersQuery);
  const [editing, setEditing] = useState<PartnerOrg | 'new' | null>(null);
  const [members, setMembers] = useState<PartnerOrg | null>(null);
  const [toggling, setToggling] = useState<PartnerOrg | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: partnersQuery.queryKey });
  const setActive = useMutation({
    mutationFn: (partner: PartnerOrg) =>
      api.request(routes.updatePartner, {
        params: { partnerId: partner.id },
        body: {
          name: partner.name,
          services: partner.services,
          regions: partner.regions,
          languages: partner.languages,
          capacity: partner.capacity,
          contactInstructions: partner.contactInstructions,
          active: !partner.active,
        },
      }),
    onSettled: refresh,
  });

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>{title}</Title>
        <Button onClick={() => setEditing('new')}>{t('partners.create')}</Button>
      </Group>
      <Text c="dimmed" size="sm">
        {t('partners.intro')}
      </Text>
      {(partners.isError || setActive.isError) && (
        <Alert color="red" variant="light" role="alert">
          {t('partners.loadFailed')}
        </Alert>
      )}
      <Table data-testid="partner-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('partners.name')}</Table.Th>
            <Table.Th>{t('partners.services')}</Table.Th>
            <Table.Th>{t('partners.regions')}</Table.Th>
            <Table.Th>{t('partners.languages')}</Table.Th>
            <Table.Th>{t('partners.capacity')}</Table.Th>
            <Table.Th>{t('partners.members')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(partners.data?.partners ?? []).map((partner) => (
            <Table.Tr key={partner.id} data-partner={partner.name}>
              <Table.Td>
                <Stack gap={2}>
                  <Text fw={500}>{partner.name}</Text>
                  {!partner.active && (
                    <Badge color="gray" variant="light" size="sm">
                      {t('partners.inactive')}
                    </Badge>
                  )}
                  {partner.contactInstructions && (
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                      {partner.contactInstructions}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                {partner.services.map((s) => t(`referrals.service.${s}`)).join(', ')}
              </Table.Td>
              <Table.Td>{partner.regions.join(', ')}</Table.Td>
              <Table.Td>{partner.languages.join(', ')}</Table.Td>
              <Table.Td>
                <Badge color={CAPACITY_COLOR[partner.capacity]} variant="light">
                  {t(`partners.capacityValue.${partner.capacity}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="subtle" onClick={() => setMembers(partner)}>
                  {t('partners.memberCount', {
                    certified: partner.certifiedMemberCount,
                    total: partner.memberCount,
                  })}
                </Button>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="light" onClick={() => setEditing(partner)}>
                    {t('partners.edit')}
                  </Button>
                  <Button
                    size="xs"
                    variant="light"
                    color={partner.active ? 'red' : 'green'}
                    onClick={() =>
                      partner.active ? setToggling(partner) : setActive.mutate(partner)
                    }
                  >
                    {partner.active ? t('partners.deactivate') : t('partners.reactivate')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {partners.data?.partners.length === 0 && <Text c="dimmed">{t('partners.none')}</Text>}
      {editing && (
        <PartnerForm
          partner={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {members && <MembersDialog partner={members} onClose={() => setMembers(null)} />}
      {toggling && (
        <ConfirmDialog
          title={t('partners.deactivateTitle', { name: toggling.name })}
          body={t('partners.deactivateBody')}
          confirm={t('partners.deactivate')}
          onCancel={() => setToggling(null)}
          onConfirm={() => {
            setActive.mutate(toggling);
            setToggling(null);
          }}
        />
      )}
    </Stack>
  );
}

function MembersDialog({ partner, onClose }: { partner: PartnerOrg; onClose: () => void }) {
  const { t } = useTranslation();
  const members = useQuery(partnerMembersQuery(partner.id));
  return (
    <Modal opened onClose={onClose} title={t('partners.membersTitle', { name: partner.name })}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('partners.membersHint')}
        </Text>
        {members.isError && (
          <Alert color="red" variant="light" role="alert">
            {t('partners.loadFailed')}
          </Alert>
        )}
        <Table data-testid="partner-members">
          <Table.Tbody>
            {(members.data?.members ?? []).map((member) => (
              <Table.Tr key={member.id} data-username={member.username}>
                <Table.Td>{member.username}</Table.Td>
                <Table.Td>
                  <Badge color={MEMBER_COLOR[member.status]} variant="light">
                    {t(`users.status.${member.status}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {members.data?.members.length === 0 && <Text c="dimmed">{t('partners.noMembers')}</Text>}
      </Stack>
    </Modal>
  );
}
