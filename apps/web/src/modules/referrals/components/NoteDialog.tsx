import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

interface NoteDialogProps {
  title: string;
  body?: string;
  label: string;
  confirm: string;
  /** A reason or an outcome is required for reject, decline, complete and fail. */
  required: boolean;
  danger?: boolean;
  busy?: boolean;
  onConfirm: (note: string) => void;
  onCancel: () => void;
}

/** Asks for the note a change carries (encrypted before it leaves the browser). */
export function NoteDialog(props: NoteDialogProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <Modal opened onClose={props.onCancel} title={props.title} centered>
      <form
        aria-label={props.title}
        onSubmit={(event) => {
          event.preventDefault();
          if (props.required && note.trim() === '') {
            setMissing(true);
            return;
          }
          props.onConfirm(note.trim());
        }}
      >
        <Stack gap="sm">
          {props.body && <Text size="sm">{props.body}</Text>}
          <Textarea
            name="note"
            label={props.label}
            description={t('referrals.noteEncrypted')}
            required={props.required}
            autosize
            minRows={3}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={missing ? t('referrals.validation.required') : undefined}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onCancel}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color={props.danger ? 'red' : undefined} loading={props.busy}>
              {props.confirm}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
