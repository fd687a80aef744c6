import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  PACKET_FIELDS,
  routes,
  type ConsentBasis,
  type ReferralBoardItem,
  type ReferralPacketContent,
} from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { encrypt, openCase } from '../../cases/crypto/case-crypto';
import type { CaseSession } from '../../cases/hooks/useCaseSession';
import { partnerMembersQuery, partnersQuery } from '../../partners/api/partners-api';
import { fetchCaseReferrals, referralProblemOf } from '../api/referrals-api';
import {
  buildPacketInput,
  NoRecipientError,
  openCaseReferrals,
  overrideRef,
  partnerRecipients,
  staffNote,
  UncertifiedMemberError,
  type PacketRecipient,
} from '../crypto/referral-crypto';
import { packetContent, type PacketLabels } from '../utils/packet-fields';
import { PacketView } from './PacketView';

interface AssignDialogProps {
  item: ReferralBoardItem;
  ctx: CaseSession;
  onClose: () => void;
  onDone: () => void;
}

type Kind = 'partner' | 'caseworker';

/**
 * Approve and assign: to a partner organisation (sealed to each of its certified members) or
 * to an internal caseworker. Shows exactly which fields will be shared, as the assignee will
 * read them, and needs the person's recorded consent or a written override reason.
 */
export function AssignDialog({ item, ctx, onClose, onDone }: AssignDialogProps) {
  const { t } = useTranslation();
  const directory = ctx.directory;
  const [kind, setKind] = useState<Kind>('partner');
  const [partnerId, setPartnerId] = useState<string | null>(item.partnerOrgId);
  const [caseworkerId, setCaseworkerId] = useState<string | null>(null);
  const [dueOn, setDueOn] = useState(item.dueOn ?? '');
  const [basis, setBasis] = useState<ConsentBasis | null>(null);
  const [override, setOverride] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // The case, opened with the coordinator's own grant, and the referral as case grantees see it.
  const source = useQuery({
    queryKey: ['referrals', 'assign-source', item.id, ctx.user],
    enabled: directory !== undefined,
    refetchOnWindowFocus: false,
    staleTime: 0,
    gcTime: 0,
    retry: false,
    queryFn: async ({ signal }) => {
      if (!directory) throw new Error('no directory');
      const detail = await api.request(routes.getCase, { params: { code: item.caseCode }, signal });
      const opened = await openCase(ctx.worker, ctx.user, directory, detail);
      const referrals = await fetchCaseReferrals(item.caseCode, signal);
      const referral = referrals.referrals.find((r) => r.id === item.id);
      if (!referral) throw new Error('referral not found');
      let notes = '';
      if (opened.key) {
        const [mine] = await openCaseReferrals(ctx.worker, opened.key, [referral]);
        if (mine?.reason.ok) notes = mine.reason.value.notes;
      }
      return { opened, referral, shareConsentOn: referrals.shareConsentOn, notes };
    },
  });
  const partners = useQuery(partnersQuery);
  const members = useQuery({
    ...partnerMembersQuery(partnerId ?? '00000000-0000-4000-8000-000000000000'),
    enabled: kind === 'partner' && partnerId !== null,
  });
  const recipients = useQuery({
    queryKey: ['referrals', 'recipients', partnerId, members.dataUpdatedAt],
    enabled: kind === 'partner' && members.data !== undefined,
    retry: false,
    queryFn: () => partnerRecipients(ctx.worker, members.data?.members ?? []),
  });

  const labels: PacketLabels = {
    safeTimes: t('cases.profile.safeTimes'),
    risks: t('cases.profile.risks'),
    channel: (type) => t(`cases.channelType.${type as 'phone'}`),
    need: (need) => t(`cases.need.${need as 'evacuation'}`),
  };
  const data = source.data;
  const profile = data?.opened.profile.ok ? data.opened.profile.value : null;
  const consentOn = data?.shareConsentOn ?? null;
  const chosenBasis: ConsentBasis = basis ?? (consentOn ? 'consent' : 'override');
  const preview: ReferralPacketContent | null = profile
    ? packetContent({
        profile,
        fields: item.fields,
        service: item.service,
        urgency: item.urgency,
        notes: data?.notes ?? '',
        labels,
      })
    : null;

  // Only active organisations offering the service can take it (the server checks the same).
  const partnerOptions = (partners.data?.partners ?? [])
    .filter((p) => p.active && p.services.includes(item.service))
    .map((p) => ({
      value: p.id,
      label: `${p.name} (${t(`partners.capacityValue.${p.capacity}`)})`,
    }));
  const caseworkers = [...(directory?.values() ?? [])]
    .filter((c) => c.role === 'caseworker' && c.active)
    .map((c) => ({ value: c.id, label: c.username }));

  const recipientError =
    recipients.error instanceof UncertifiedMemberError
      ? t('referrals.assign.uncertified', { name: recipients.error.username })
      : recipients.error instanceof NoRecipientError
        ? t('referrals.assign.noMembers')
        : recipients.isError
          ? t('referrals.errors.other')
          : null;

  const submit = async () => {
    const key = data?.opened.key ?? null;
    const nextMissing = {
      assignee: kind === 'partner' ? !partnerId : !caseworkerId,
      override: chosenBasis === 'override' && override.trim() === '',
      dueOn: dueOn !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(dueOn),
    };
    setMissing(nextMissing);
    if (Object.values(nextMissing).some(Boolean) || !data || !key || !profile) return;
    let to: PacketRecipient[] = [];
    if (kind === 'partner') {
      if (!recipients.data) return;
      to = recipients.data;
    } else {
      const colleague = caseworkerId ? directory?.get(caseworkerId) : undefined;
      if (!colleague) return;
      to = [{ id: colleague.id, username: colleague.username, cert: colleague.cert }];
    }
    setBusy(true);
    setProblem(null);
    try {
      const packet = await buildPacketInput(ctx.worker, ctx.user, {
        caseKey: key,
        referralId: item.id,
        version: data.referral.nextPacketKeyVersion,
        profile,
        fields: item.fields,
        service: item.service,
        urgency: item.urgency,
        notes: data.notes,
        labels,
        recipients: to,
      });
      await api.request(routes.assignReferral, {
        params: { referralId: item.id },
        body: {
          expectedVersion: item.version,
          assignee:
            kind === 'partner'
              ? { kind: 'partner', partnerOrgId: partnerId ?? '' }
              : { kind: 'caseworker', userId: caseworkerId ?? '' },
          dueOn: dueOn === '' ? null : dueOn,
          consentBasis: chosenBasis,
          ...(chosenBasis === 'override'
            ? {
                overrideReason: await encrypt(ctx.worker, key, overrideRef(item.id), {
                  reason: override.trim(),
                }),
              }
            : {}),
          packet,
          ...(note.trim() ? { note: await staffNote(ctx.worker, key, note.trim()) } : {}),
        },
      });
      onDone();
    } catch (error) {
      setProblem(t(`referrals.errors.${referralProblemOf(error)}`));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('referrals.assign.title', { code: item.caseCode })}
      size="lg"
    >
      {source.isError ? (
        <Alert color="red" variant="light" role="alert">
          {t('referrals.assign.noCaseKey')}
        </Alert>
      ) : !data ? (
        <Group>
          <Loader size="sm" />
          <Text>{t('referrals.loading')}</Text>
        </Group>
      ) : (
        <form
          aria-label={t('referrals.assign.formLabel')}
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="sm">
            {problem && (
              <Alert color="red" variant="light" role="alert">
                {problem}
              </Alert>
            )}
            {!data.opened.key && (
              <Alert color="red" variant="light" role="alert">
                {t('referrals.assign.noCaseKey')}
              </Alert>
            )}
            <SegmentedControl
              value={kind}
              onChange={(value) => setKind(value as Kind)}
              data={[
                { value: 'partner', label: t('referrals.assign.toPartner') },
                { value: 'caseworker', label: t('referrals.assign.toCaseworker') },
              ]}
            />
            {kind === 'partner' ? (
              <Select
                label={t('referrals.assign.partner')}
                data={partnerOptions}
                value={partnerId}
                onChange={setPartnerId}
                searchable
                nothingFoundMessage={t('referrals.assign.noPartner')}
                error={missing['assignee'] ? t('referrals.validation.required') : undefined}
              />
            ) : (
              <Select
                label={t('referrals.assign.caseworker')}
                data={caseworkers}
                value={caseworkerId}
                onChange={setCaseworkerId}
                searchable
                error={missing['assignee'] ? t('referrals.validation.required') : undefined}
              />
            )}
            {kind === 'partner' && recipients.data && (
              <Text size="sm" data-testid="packet-recipients">
                {t('referrals.assign.sealedTo', {
                  names: recipients.data.map((r) => r.username).join(', '),
                })}
              </Text>
            )}
            {kind === 'partner' && recipientError && (
              <Alert color="red" variant="light" role="alert">
                {recipientError}
              </Alert>
            )}
            <TextInput
              type="date"
              label={t('referrals.dueLabel')}
              value={dueOn}
              onChange={(e) => setDueOn(e.currentTarget.value)}
              error={missing['dueOn'] ? t('referrals.validation.date') : undefined}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('referrals.assign.fieldsTitle')}
              </Text>
              <Group gap={4} data-testid="fields-to-share">
                {PACKET_FIELDS.filter((f) => item.fields.includes(f)).map((field) => (
                  <Badge key={field} variant="outline">
                    {t(`referrals.field.${field}`)}
                  </Badge>
                ))}
              </Group>
              <Text size="xs" c="dimmed">
                {t('referrals.assign.fieldsHint')}
              </Text>
              {preview && (
                <details>
                  <summary>
                    <Text span size="sm">
                      {t('referrals.assign.preview')}
                    </Text>
                  </summary>
                  <PacketView packet={{ ok: true, value: preview }} />
                </details>
              )}
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('referrals.assign.basis')}
              </Text>
              <SegmentedControl
                value={chosenBasis}
                onChange={(value) => setBasis(value as ConsentBasis)}
                data={[
                  { value: 'consent', label: t('referrals.basis.consent'), disabled: !consentOn },
                  { value: 'override', label: t('referrals.basis.override') },
                ]}
              />
              <Text size="xs" c="dimmed" data-testid="consent-info">
                {consentOn
                  ? t('referrals.consent.recorded', { day: consentOn })
                  : t('referrals.consent.none')}
              </Text>
              {chosenBasis === 'override' && (
                <Textarea
                  label={t('referrals.assign.overrideReason')}
                  description={t('referrals.noteEncrypted')}
                  required
                  autosize
                  minRows={2}
                  value={override}
                  onChange={(e) => setOverride(e.currentTarget.value)}
                  error={missing['override'] ? t('referrals.validation.required') : undefined}
                />
              )}
            </Stack>
            <Textarea
              label={t('referrals.assign.note')}
              description={t('referrals.noteEncrypted')}
              autosize
              minRows={1}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                loading={busy}
                disabled={
                  !data.opened.key ||
                  (kind === 'partner' && (!recipients.data || recipients.isFetching))
                }
              >
                {t('referrals.assign.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
