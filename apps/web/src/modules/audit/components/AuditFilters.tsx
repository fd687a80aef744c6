import { Button, Group, Select, TextInput } from '@mantine/core';
import { AUDIT_OUTCOME_KINDS, type AuditOutcomeKind, type AuditUser } from '@haven/contracts';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterDraft } from '../utils/filters';

interface AuditFiltersProps {
  users: readonly AuditUser[];
  draft: FilterDraft;
  onChange: (draft: FilterDraft) => void;
  onApply: () => void;
  onClear: () => void;
}

/** Person, action, case code (or other target), outcome and a range of days. */
export function AuditFilters({ users, draft, onChange, onApply, onClear }: AuditFiltersProps) {
  const { t } = useTranslation();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply();
  };
  return (
    <form onSubmit={submit} aria-label={t('audit.filters.label')}>
      <Group align="end" gap="sm">
        <Select
          label={t('audit.filters.person')}
          data={users.map((u) => ({
            value: u.id,
            label: `${u.username} (${t(`roles.${u.role}`)})`,
          }))}
          value={draft.actor}
          onChange={(actor) => onChange({ ...draft, actor })}
          searchable
          clearable
          w={220}
        />
        <TextInput
          label={t('audit.filters.action')}
          placeholder="case.read"
          value={draft.action}
          onChange={(e) => onChange({ ...draft, action: e.currentTarget.value })}
          w={160}
        />
        <TextInput
          label={t('audit.filters.target')}
          placeholder="K7M3-QX9P"
          value={draft.target}
          onChange={(e) => onChange({ ...draft, target: e.currentTarget.value })}
          w={170}
        />
        <Select
          label={t('audit.filters.outcome')}
          data={AUDIT_OUTCOME_KINDS.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
          value={draft.outcome}
          onChange={(outcome) =>
            onChange({ ...draft, outcome: outcome as AuditOutcomeKind | null })
          }
          clearable
          w={140}
        />
        <TextInput
          type="date"
          label={t('audit.filters.from')}
          value={draft.from}
          onChange={(e) => onChange({ ...draft, from: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('audit.filters.to')}
          value={draft.to}
          onChange={(e) => onChange({ ...draft, to: e.currentTarget.value })}
        />
        <Button type="submit">{t('audit.filters.apply')}</Button>
        <Button variant="subtle" onClick={onClear}>
          {t('audit.filters.clear')}
        </Button>
      </Group>
    </form>
  );
}
