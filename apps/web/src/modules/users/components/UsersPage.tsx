import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { routes, StaffRole, type CreatedInvitation, type UserSummary } from '@haven/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useSession } from '../../auth/hooks/useSession';
import { errorKey, type ErrorKey } from '../../auth/utils/error-text';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { partnersQuery } from '../../partners/api/partners-api';
import { CertifyDialog } from './CertifyDialog';
import { ConfirmDialog } from './ConfirmDialog';

// Accounts change behind the admin's back (someone accepts an invitation): always refetch.
export const usersQuery = {
  queryKey: ['users'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.listUsers, { signal }),
  staleTime: 0,
} as const;

const invitationsQuery = {
  queryKey: ['invitations'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.listInvitations, { signal }),
  staleTime: 0,
} as const;

const STATUS_COLOR = { certified: 'green', pending_certification: 'yellow', disabled: 'gray' };

type Pending =
  | { kind: 'certify'; user: UserSummary }
  | { kind: 'disable'; user: UserSummary }
  | { kind: 'role'; user: UserSummary; role: StaffRole };

/** Admins: invite people, certify their keys, change roles, disable accounts. */
export function UsersPage() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const title = t('nav.users');
  useDocumentTitle(title);
  const users = useQuery(usersQuery);
  const partners = useQuery(partnersQuery);
  const orgName = (id: string | null | undefined) =>
    id ? (partners.data?.partners.find((p) => p.id === id)?.name ?? '') : '';
  const [pending, setPending] = useState<Pending | null>(null);
  const [roleDraft, setRoleDraft] = useState<Record<string, StaffRole>>({});
  const [error, setError] = useState<ErrorKey | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });

  const disable = useMutation({
    mutationFn: (userId: string) => api.request(routes.disableUser, { params: { userId } }),
    onSuccess: refresh,
    onError: (caught) => setError(errorKey(caught, 'other')),
  });
  const changeRole = useMutation({
    mutationFn: (input: { userId: string; role: StaffRole }) =>
      api.request(routes.changeRole, {
        params: { userId: input.userId },
        body: { role: input.role },
      }),
    onSuccess: refresh,
    onError: (caught) => setError(errorKey(caught, 'other')),
  });

  const myId = session.status === 'signed-in' ? session.me.user.id : '';
  const roleOptions = StaffRole.options.map((role) => ({ value: role, label: t(`roles.${role}`) }));

  return (
    <Stack gap="lg">
      <Title order={1}>{title}</Title>
      <InvitePanel />
      <Stack gap="xs">
        <Title order={2}>{t('users.accounts')}</Title>
        {error && (
          <Alert
            color="red"
            variant="light"
            role="alert"
            withCloseButton
            onClose={() => setError(null)}
          >
            {t(`errors.${error}`)}
          </Alert>
        )}
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('auth.username')}</Table.Th>
              <Table.Th>{t('users.role')}</Table.Th>
              <Table.Th>{t('users.statusLabel')}</Table.Th>
              <Table.Th>{t('users.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data?.users ?? []).map((user) => (
              <Table.Tr key={user.id} data-username={user.username}>
                <Table.Td>{user.username}</Table.Td>
                <Table.Td>
                  {t(`roles.${user.role}`)}
                  {user.partnerOrgId ? ` · ${orgName(user.partnerOrgId)}` : ''}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[user.status]} variant="light">
                    {t(`users.status.${user.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {user.id !== myId && user.status !== 'disabled' && (
                    <Group gap="xs">
                      {user.status === 'pending_certification' && (
                        <Button size="xs" onClick={() => setPending({ kind: 'certify', user })}>
                          {t('users.certify')}
                        </Button>
                      )}
                      <Select
                        size="xs"
                        w={150}
                        aria-label={t('users.newRoleFor', { username: user.username })}
                        data={roleOptions}
                        value={roleDraft[user.id] ?? user.role}
                        onChange={(value) =>
                          value && setRoleDraft({ ...roleDraft, [user.id]: value as StaffRole })
                        }
                        allowDeselect={false}
                      />
                      {(roleDraft[user.id] ?? user.role) !== user.role && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() =>
                            setPending({
                              kind: 'role',
                              user,
                              role: roleDraft[user.id] ?? user.role,
                            })
                          }
                        >
                          {t('users.changeRole')}
                        </Button>
                      )}
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => setPending({ kind: 'disable', user })}
                      >
                        {t('users.disable')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      {pending?.kind === 'certify' && (
        <CertifyDialog
          user={pending.user}
          onClose={() => setPending(null)}
          onCertified={() => {
            setPending(null);
            void refresh();
          }}
        />
      )}
      {pending?.kind === 'disable' && (
        <ConfirmDialog
          title={t('users.disableTitle', { username: pending.user.username })}
          body={t('users.disableBody')}
          confirm={t('users.disable')}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            disable.mutate(pending.user.id);
            setPending(null);
          }}
        />
      )}
      {pending?.kind === 'role' && (
        <ConfirmDialog
          title={t('users.changeRoleTitle', {
            username: pending.user.username,
            role: t(`roles.${pending.role}`),
          })}
          body={t('users.changeRoleBody')}
          confirm={t('users.changeRole')}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            changeRole.mutate({ userId: pending.user.id, role: pending.role });
            setPending(null);
          }}
        />
      )}
    </Stack>
  );
}

function InvitePanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<StaffRole>('caseworker');
  const [partnerOrgId, setPartnerOrgId] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const invitations = useQuery(invitationsQuery);
  // Partner accounts belong to one active partner organisation, named in the invitation.
  const partners = useQuery(partnersQuery);
  const partnerOptions = (partners.data?.partners ?? [])
    .filter((p) => p.active)
    .map((p) => ({ value: p.id, label: p.name }));
  const partnerName = (id: string | null | undefined) =>
    partners.data?.partners.find((p) => p.id === id)?.name ?? '';
  const refresh = () => queryClient.invalidateQueries({ queryKey: invitationsQuery.queryKey });
  const create = useMutation({
    mutationFn: () =>
      api.request(routes.createInvitation, {
        body: role === 'partner' && partnerOrgId ? { role, partnerOrgId } : { role },
      }),
    onSuccess: (invitation) => {
      setCreated(invitation);
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (invitationId: string) =>
      api.request(routes.revokeInvitation, { params: { invitationId } }),
    onSuccess: refresh,
  });
  const link = created ? `${window.location.origin}/invite#token=${created.token}` : '';

  return (
    <Stack gap="xs">
      <Title order={2}>{t('users.invite')}</Title>
      <Group align="end">
        <Select
          label={t('users.role')}
          data={StaffRole.options.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(value) => value && setRole(value as StaffRole)}
          allowDeselect={false}
        />
        {role === 'partner' && (
          <Select
            label={t('users.partnerOrg')}
            placeholder={t('users.partnerOrgPick')}
            data={partnerOptions}
            value={partnerOrgId}
            onChange={setPartnerOrgId}
            nothingFoundMessage={t('users.noPartnerOrgs')}
            searchable
          />
        )}
        <Button
          onClick={() => create.mutate()}
          loading={create.isPending}
          disabled={role === 'partner' && !partnerOrgId}
        >
          {t('users.createInvitation')}
        </Button>
      </Group>
      {create.isError && (
        <Alert color="red" variant="light" role="alert">
          {t(`errors.${errorKey(create.error, 'other')}`)}
        </Alert>
      )}
      {created && (
        <Alert color="blue" variant="light" role="status">
          <Stack gap="xs">
            <Text size="sm">{t('users.linkOnce')}</Text>
            <Code block data-testid="invitation-link">
              {link}
            </Code>
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t('users.copied') : t('users.copyLink')}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Alert>
      )}
      {(invitations.data?.invitations.length ?? 0) > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.role')}</Table.Th>
              <Table.Th>{t('users.expires')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.data?.invitations.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>
                  {t(`roles.${invitation.role}`)}
                  {invitation.partnerOrgId ? ` · ${partnerName(invitation.partnerOrgId)}` : ''}
                </Table.Td>
                <Table.Td>{new Date(invitation.expiresAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => revoke.mutate(invitation.id)}>
                    {t('users.withdraw')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
