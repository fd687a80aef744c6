import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  AUDIT_LOG_LIMITS,
  LOCKDOWN_CONFIRMATION,
  RETENTION_LIMITS,
  routes,
  type RetentionSettings,
} from '@haven/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { lockdownQuery, retentionQuery } from '../api/retention-queries';

type DayField = keyof typeof RETENTION_LIMITS;
const FIELDS: readonly DayField[] = [
  'closedCaseDays',
  'untriagedIntakeDays',
  'triagedIntakeDays',
  'expiredPacketDays',
];

/** Admins: how long Haven keeps what, and the emergency lockdown switch (docs/retention.md). */
export function RetentionPage() {
  const { t } = useTranslation();
  const title = t('nav.retention');
  useDocumentTitle(title);
  return (
    <Stack gap="xl" maw={720}>
      <Title order={1}>{title}</Title>
      <SettingsForm />
      <LockdownPanel />
    </Stack>
  );
}

function SettingsForm() {
  const { t } = useTranslation();
  const settings = useQuery(retentionQuery);
  if (!settings.data) return <Text>{t('retention.loading')}</Text>;
  return <SettingsFields initial={settings.data.settings} />;
}

function SettingsFields({ initial }: { initial: RetentionSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RetentionSettings>(initial);
  const [fieldErrors, setFieldErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: (body: RetentionSettings) => api.request(routes.updateRetention, { body }),
    onSuccess: (answer) => {
      queryClient.setQueryData(retentionQuery.queryKey, answer);
      setDraft(answer.settings);
      setFieldErrors([]);
      setSaved(true);
    },
    onError: (caught) => {
      setSaved(false);
      setFieldErrors(
        caught instanceof ApiError && caught.fields.length > 0
          ? caught.fields.map((f) => f.message)
          : [t('errors.generic')],
      );
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(draft);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="retention-settings-title">
      <Stack gap="md">
        <Title order={2} id="retention-settings-title">
          {t('retention.settings.title')}
        </Title>
        <Text>{t('retention.settings.intro')}</Text>
        {fieldErrors.length > 0 && (
          <Alert color="red" variant="light" role="alert">
            {fieldErrors.map((message) => (
              <div key={message}>{message}</div>
            ))}
          </Alert>
        )}
        {saved && (
          <Alert color="green" variant="light" role="status">
            {t('retention.settings.saved')}
          </Alert>
        )}
        {FIELDS.map((field) => {
          const limits = RETENTION_LIMITS[field];
          const fixed = limits.min === limits.max;
          return (
            <NumberInput
              key={field}
              label={t(`retention.settings.${field}.label`)}
              description={t(`retention.settings.${field}.help`, {
                default: limits.default,
              })}
              suffix={` ${t('retention.days')}`}
              value={draft[field]}
              // Passed through as typed: the server's 400 explains what it refuses.
              onChange={(value) =>
                setDraft({ ...draft, [field]: typeof value === 'number' ? value : Number.NaN })
              }
              allowDecimal={false}
              readOnly={fixed}
              name={field}
            />
          );
        })}
        <AuditLogField
          value={draft.auditLogDays}
          onChange={(auditLogDays) => setDraft({ ...draft, auditLogDays })}
        />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('retention.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * How long audit events are kept: forever (null, the default) or a number of days. Unticking
 * "forever" proposes the minimum; an emptied field is sent as 0 (never as null, which would
 * mean forever), and the server's 400 explains anything it refuses.
 */
function AuditLogField({
  value,
  onChange,
}: {
  value: number | null;
  onChange: (days: number | null) => void;
}) {
  const { t } = useTranslation();
  const forever = value === null;
  return (
    <Fieldset legend={t('retention.settings.auditLog.label')} variant="unstyled">
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t('retention.settings.auditLog.help')}
        </Text>
        <Checkbox
          label={t('retention.settings.auditLog.forever')}
          checked={forever}
          onChange={(e) => onChange(e.currentTarget.checked ? null : AUDIT_LOG_LIMITS.min)}
          name="auditLogForever"
        />
        {!forever && (
          <NumberInput
            label={t('retention.settings.auditLog.days', {
              min: AUDIT_LOG_LIMITS.min,
              max: AUDIT_LOG_LIMITS.max,
            })}
            suffix={` ${t('retention.days')}`}
            value={value}
            onChange={(next) => onChange(typeof next === 'number' ? next : 0)}
            allowDecimal={false}
            name="auditLogDays"
          />
        )}
      </Stack>
    </Fieldset>
  );
}

function LockdownPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery(lockdownQuery);
  const [typed, setTyped] = useState('');
  const [failed, setFailed] = useState(false);
  const refresh = (answer: unknown) => {
    queryClient.setQueryData(lockdownQuery.queryKey, answer);
    setTyped('');
    setFailed(false);
  };
  const enter = useMutation({
    mutationFn: () =>
      api.request(routes.enterLockdown, { body: { confirm: LOCKDOWN_CONFIRMATION } }),
    onSuccess: refresh,
    onError: () => setFailed(true),
  });
  const lift = useMutation({
    mutationFn: () => api.request(routes.liftLockdown),
    onSuccess: refresh,
    onError: () => setFailed(true),
  });
  const active = status.data?.active ?? false;

  return (
    <Stack gap="md" aria-labelledby="lockdown-title" component="section">
      <Title order={2} id="lockdown-title">
        {t('retention.lockdown.title')}
      </Title>
      <Text>{t('retention.lockdown.intro')}</Text>
      {failed && (
        <Alert color="red" variant="light" role="alert">
          {t('errors.generic')}
        </Alert>
      )}
      {active ? (
        <>
          <Alert color="red" variant="filled" role="status">
            {t('retention.lockdown.activeSince', { day: status.data?.since ?? '' })}
          </Alert>
          <Group>
            <Button color="green" onClick={() => lift.mutate()} loading={lift.isPending}>
              {t('retention.lockdown.lift')}
            </Button>
          </Group>
        </>
      ) : (
        <>
          <TextInput
            label={t('retention.lockdown.typeToConfirm', { word: LOCKDOWN_CONFIRMATION })}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
          />
          <Group>
            <Button
              color="red"
              disabled={typed !== LOCKDOWN_CONFIRMATION}
              onClick={() => enter.mutate()}
              loading={enter.isPending}
            >
              {t('retention.lockdown.enter')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
