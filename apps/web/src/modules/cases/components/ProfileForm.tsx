import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { CONTACT_CHANNEL_TYPES, NEEDS, type SafeContactChannel } from '@haven/contracts';
import { useTranslation } from 'react-i18next';
import type { ProfileDraft } from '../utils/profile-draft';
import { useProblemText } from '../utils/useProblemText';
import type { FieldProblems } from '../utils/validation';

interface ProfileFormProps {
  draft: ProfileDraft;
  onChange: (draft: ProfileDraft) => void;
  problems: FieldProblems;
}

/**
 * Every profile field (DESIGN.md lists them). Nothing typed here leaves the page unencrypted:
 * the form's value is validated with the shared schema and encrypted in the crypto worker.
 */
export function ProfileForm({ draft, onChange, problems }: ProfileFormProps) {
  const { t } = useTranslation();
  const problem = useProblemText(problems);
  const set = <K extends keyof ProfileDraft>(key: K, value: ProfileDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const setChannel = (index: number, patch: Partial<SafeContactChannel>) =>
    set(
      'channels',
      draft.channels.map((c, i) => (i === index ? { ...c, ...patch } : c)),
    );
  const channelTypes = CONTACT_CHANNEL_TYPES.map((type) => ({
    value: type,
    label: t(`cases.channelType.${type}`),
  }));

  return (
    <Stack gap="md">
      <TextInput
        label={t('cases.profile.alias')}
        description={t('cases.profile.aliasHint')}
        required
        value={draft.alias}
        onChange={(e) => set('alias', e.currentTarget.value)}
        error={problem('alias')}
        data-testid="profile-alias"
      />
      <Fieldset legend={t('cases.profile.channels')}>
        <Stack gap="xs">
          {draft.channels.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('cases.profile.noChannels')}
            </Text>
          )}
          {draft.channels.map((channel, index) => (
            <Group key={index} align="flex-start" gap="xs" wrap="wrap">
              <Select
                w={150}
                label={t('cases.profile.channelType')}
                data={channelTypes}
                value={channel.type}
                allowDeselect={false}
                onChange={(value) =>
                  value && setChannel(index, { type: value as SafeContactChannel['type'] })
                }
              />
              {channel.type === 'messenger' && (
                <TextInput
                  w={140}
                  label={t('cases.profile.channelApp')}
                  value={channel.app}
                  onChange={(e) => setChannel(index, { app: e.currentTarget.value })}
                  error={problem(`channels.${index}.app`)}
                />
              )}
              <TextInput
                w={220}
                label={t('cases.profile.channelValue')}
                required
                value={channel.value}
                onChange={(e) => setChannel(index, { value: e.currentTarget.value })}
                error={problem(`channels.${index}.value`)}
                data-testid={`channel-value-${index}`}
              />
              <TextInput
                style={{ flex: 1, minWidth: 200 }}
                label={t('cases.profile.channelNote')}
                value={channel.note}
                onChange={(e) => setChannel(index, { note: e.currentTarget.value })}
                error={problem(`channels.${index}.note`)}
              />
              <ActionIcon
                mt={26}
                variant="subtle"
                color="red"
                aria-label={t('cases.profile.removeChannel')}
                onClick={() =>
                  set(
                    'channels',
                    draft.channels.filter((_, i) => i !== index),
                  )
                }
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              variant="light"
              size="xs"
              onClick={() =>
                set('channels', [
                  ...draft.channels,
                  { type: 'phone', app: '', value: '', note: '' },
                ])
              }
            >
              {t('cases.profile.addChannel')}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t('cases.profile.safeTimes')}
          value={draft.safeTimes}
          onChange={(e) => set('safeTimes', e.currentTarget.value)}
          error={problem('safeTimes')}
        />
        <TagsInput
          label={t('cases.profile.languages')}
          description={t('cases.profile.languagesHint')}
          value={draft.languages}
          onChange={(value) => set('languages', value)}
          error={problem('languages')}
        />
      </SimpleGrid>
      <TextInput
        label={t('cases.profile.location')}
        description={t('cases.profile.locationHint')}
        value={draft.location}
        onChange={(e) => set('location', e.currentTarget.value)}
        error={problem('location')}
      />
      <Textarea
        label={t('cases.profile.situation')}
        description={t('cases.profile.situationHint')}
        autosize
        minRows={3}
        value={draft.situation}
        onChange={(e) => set('situation', e.currentTarget.value)}
        error={problem('situation')}
        data-testid="profile-situation"
      />
      <Textarea
        label={t('cases.profile.risks')}
        autosize
        minRows={2}
        value={draft.risks}
        onChange={(e) => set('risks', e.currentTarget.value)}
        error={problem('risks')}
      />
      <Fieldset legend={t('cases.profile.needs')}>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {NEEDS.map((need) => (
            <Checkbox
              key={need}
              label={t(`cases.need.${need}`)}
              checked={draft.needs[need]}
              onChange={(e) => set('needs', { ...draft.needs, [need]: e.currentTarget.checked })}
            />
          ))}
        </SimpleGrid>
      </Fieldset>
      <Fieldset legend={t('cases.profile.consent')}>
        <Stack gap="xs">
          {(['contact', 'shareWithPartners', 'keepData'] as const).map((item) => (
            <Checkbox
              key={item}
              label={t(`cases.consent.${item}`)}
              checked={draft.consent[item]}
              onChange={(e) =>
                set('consent', { ...draft.consent, [item]: e.currentTarget.checked })
              }
            />
          ))}
        </Stack>
      </Fieldset>
    </Stack>
  );
}
