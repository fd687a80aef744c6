import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  PARTNER_CAPACITIES,
  REFERRAL_SERVICES,
  routes,
  UpdatePartnerRequest,
  type PartnerCapacity,
  type PartnerOrg,
  type ReferralService,
} from '@haven/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client';

interface PartnerFormProps {
  /** Null: a new organisation. */
  partner: PartnerOrg | null;
  onClose: () => void;
  onSaved: () => void;
}

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Create or edit a partner organisation: services, regions, languages, capacity, contact. */
export function PartnerForm({ partner, onClose, onSaved }: PartnerFormProps) {
  const { t } = useTranslation();
  const [name, setName] = useState(partner?.name ?? '');
  const [services, setServices] = useState<string[]>(partner?.services ?? []);
  const [regions, setRegions] = useState((partner?.regions ?? []).join(', '));
  const [languages, setLanguages] = useState((partner?.languages ?? []).join(', '));
  const [capacity, setCapacity] = useState<PartnerCapacity>(partner?.capacity ?? 'available');
  const [contact, setContact] = useState(partner?.contactInstructions ?? '');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failed, setFailed] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const body = {
      name,
      services: services as ReferralService[],
      regions: list(regions),
      languages: list(languages).map((l) => l.toLowerCase()),
      capacity,
      contactInstructions: contact,
      active: partner?.active ?? true,
    };
    const parsed = UpdatePartnerRequest.safeParse(body);
    if (!parsed.success) {
      const out: Record<string, string> = {};
      const messages: Record<string, string> = {
        name: t('partners.validation.name'),
        services: t('partners.validation.services'),
        regions: t('partners.validation.regions'),
        languages: t('partners.validation.languages'),
        contactInstructions: t('partners.validation.contactInstructions'),
      };
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'name');
        out[field] ??= messages[field] ?? messages['name'] ?? '';
      }
      setProblems(out);
      return;
    }
    setProblems({});
    setSaving(true);
    setFailed(null);
    try {
      if (partner) {
        await api.request(routes.updatePartner, { params: { partnerId: partner.id }, body });
      } else {
        const { active: _active, ...create } = body;
        await api.request(routes.createPartner, { body: create });
      }
      onSaved();
    } catch (error) {
      setFailed(
        error instanceof ApiError && error.status < 500 ? error.message : t('partners.saveFailed'),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={partner ? t('partners.editTitle', { name: partner.name }) : t('partners.createTitle')}
      size="lg"
    >
      <form
        aria-label={t('partners.formLabel')}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          {failed && (
            <Alert color="red" variant="light" role="alert">
              {failed}
            </Alert>
          )}
          <TextInput
            label={t('partners.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={problems['name']}
          />
          <Checkbox.Group
            label={t('partners.services')}
            value={services}
            onChange={setServices}
            error={problems['services']}
          >
            <Group gap="md" mt={4}>
              {REFERRAL_SERVICES.map((service) => (
                <Checkbox key={service} value={service} label={t(`referrals.service.${service}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <TextInput
            label={t('partners.regions')}
            description={t('partners.regionsHint')}
            value={regions}
            onChange={(e) => setRegions(e.currentTarget.value)}
            error={problems['regions']}
          />
          <TextInput
            label={t('partners.languages')}
            description={t('partners.languagesHint')}
            value={languages}
            onChange={(e) => setLanguages(e.currentTarget.value)}
            error={problems['languages']}
          />
          <Select
            label={t('partners.capacity')}
            data={PARTNER_CAPACITIES.map((c) => ({
              value: c,
              label: t(`partners.capacityValue.${c}`),
            }))}
            value={capacity}
            onChange={(value) => value && setCapacity(value as PartnerCapacity)}
            allowDeselect={false}
          />
          <Textarea
            label={t('partners.contact')}
            description={t('partners.contactHint')}
            autosize
            minRows={2}
            value={contact}
            onChange={(e) => setContact(e.currentTarget.value)}
            error={problems['contactInstructions']}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={saving}>
              {t('partners.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
