import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import {
  NEEDS,
  PACKET_FIELDS,
  REFERRAL_SERVICES,
  REFERRAL_URGENCIES,
  routes,
  type CaseProfile,
  type ReferralService,
  type ReferralUrgency,
} from '@haven/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Worker } from '../../cases/crypto/case-crypto';
import type { CaseKeyHandle } from '../../crypto';
import { referralProblemOf, type ReferralProblem } from '../api/referrals-api';
import { encryptReason, ReferralReason } from '../crypto/referral-crypto';
import { normaliseFields } from '../utils/packet-fields';

interface ProposeFormProps {
  code: string;
  worker: Worker;
  caseKey: CaseKeyHandle;
  profile: CaseProfile | null;
  onProposed: () => Promise<void>;
}

/** A caseworker proposes a referral: what service, how urgent, why, and which fields to share. */
export function ProposeForm({ code, worker, caseKey, profile, onProposed }: ProposeFormProps) {
  const { t } = useTranslation();
  const firstNeed = profile ? NEEDS.find((n) => profile.needs[n]) : undefined;
  const [service, setService] = useState<ReferralService>(firstNeed ?? 'evacuation');
  const [urgency, setUrgency] = useState<ReferralUrgency>('routine');
  const [dueOn, setDueOn] = useState('');
  const [reason, setReason] = useState('');
  const [notes, setNotes] = useState('');
  const [fields, setFields] = useState<string[]>(['needs']);
  const [problems, setProblems] = useState<Record<string, boolean>>({});
  const [problem, setProblem] = useState<ReferralProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async () => {
    const chosen = normaliseFields(fields);
    const content = ReferralReason.safeParse({
      reason,
      notes: chosen.includes('notes') ? notes : '',
    });
    const dueOk = dueOn === '' || /^\d{4}-\d{2}-\d{2}$/.test(dueOn);
    const next = { reason: !content.success, fields: chosen.length === 0, dueOn: !dueOk };
    setProblems(next);
    if (!content.success || chosen.length === 0 || !dueOk) return;
    setBusy(true);
    setProblem(null);
    setDone(false);
    try {
      const id = crypto.randomUUID();
      await api.request(routes.proposeReferral, {
        params: { code },
        body: {
          id,
          service,
          urgency,
          dueOn: dueOn === '' ? null : dueOn,
          fields: chosen,
          reason: await encryptReason(worker, caseKey, id, content.data),
        },
      });
      setReason('');
      setNotes('');
      setDueOn('');
      setDone(true);
    } catch (error) {
      setProblem(referralProblemOf(error));
    } finally {
      setBusy(false);
      await onProposed();
    }
  };

  return (
    <Card withBorder>
      <form
        aria-label={t('referrals.propose.title')}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('referrals.propose.title')}
          </Title>
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {t(`referrals.errors.${problem}`)}
            </Alert>
          )}
          {done && (
            <Alert
              color="green"
              variant="light"
              role="status"
              withCloseButton
              onClose={() => setDone(false)}
            >
              {t('referrals.propose.done')}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('referrals.serviceLabel')}
              data={REFERRAL_SERVICES.map((s) => ({
                value: s,
                label: t(`referrals.service.${s}`),
              }))}
              value={service}
              onChange={(value) => value && setService(value as ReferralService)}
              allowDeselect={false}
            />
            <Select
              label={t('referrals.urgencyLabel')}
              data={REFERRAL_URGENCIES.map((u) => ({
                value: u,
                label: t(`referrals.urgency.${u}`),
              }))}
              value={urgency}
              onChange={(value) => value && setUrgency(value as ReferralUrgency)}
              allowDeselect={false}
            />
            <TextInput
              type="date"
              label={t('referrals.dueLabel')}
              value={dueOn}
              onChange={(e) => setDueOn(e.currentTarget.value)}
              error={problems['dueOn'] ? t('referrals.validation.date') : undefined}
            />
          </SimpleGrid>
          <Textarea
            label={t('referrals.propose.reason')}
            description={t('referrals.propose.reasonHint')}
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={problems['reason'] ? t('referrals.validation.required') : undefined}
          />
          <Checkbox.Group
            label={t('referrals.propose.fields')}
            description={t('referrals.propose.fieldsHint')}
            value={fields}
            onChange={setFields}
            error={problems['fields'] ? t('referrals.validation.fields') : undefined}
          >
            <Group gap="md" mt={4}>
              {PACKET_FIELDS.map((field) => (
                <Checkbox key={field} value={field} label={t(`referrals.field.${field}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          {fields.includes('notes') && (
            <Textarea
              label={t('referrals.propose.notes')}
              description={t('referrals.propose.notesHint')}
              autosize
              minRows={2}
              value={notes}
              onChange={(e) => setNotes(e.currentTarget.value)}
            />
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {t('referrals.propose.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
