import { Alert, Anchor, Group, Text } from '@mantine/core';
import { routes, type SafeContactChannel } from '@haven/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import type { IndexKeyHandle } from '../../crypto';
import { indexesOf, type Worker } from '../crypto/case-crypto';

interface DuplicateWarningProps {
  worker: Worker;
  channels: SafeContactChannel[];
  index: IndexKeyHandle | null | undefined;
  /** The case being edited, which of course matches itself. */
  ownCode?: string;
}

/** What the check found for one set of typed values (`typed`). */
type Finding = { typed: string; codes: string[]; hidden: boolean };

/**
 * Warns while a phone number or handle is typed that a case may already exist. Only 2-byte
 * blind indexes leave the page, so a match is a "maybe" by design; codes appear only for cases
 * the caller could open anyway, otherwise just the warning to ask a coordinator.
 */
export function DuplicateWarning({ worker, channels, index, ownCode }: DuplicateWarningProps) {
  const { t } = useTranslation();
  const [finding, setFinding] = useState<Finding | null>(null);
  const typed = channels
    .filter((c) => c.type !== 'other' && c.value.trim().length >= 3)
    .map((c) => `${c.type}:${c.value}`)
    .join('\n');

  useEffect(() => {
    if (!index || typed === '') return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void (async () => {
        const indexes = await indexesOf(worker, index, { channels });
        const answers = await Promise.all(
          indexes.map((i) => api.request(routes.checkDuplicates, { body: i })),
        );
        if (cancelled) return;
        const codes = [...new Set(answers.flatMap((a) => a.codes))].filter((c) => c !== ownCode);
        const hidden = answers.some((a) => a.possibleMatch && a.codes.length === 0);
        setFinding({ typed, codes, hidden });
      })().catch(() => undefined);
    }, 500);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `typed` stands for the channels' searchable values.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [worker, index, typed, ownCode]);

  if (index === null) {
    return (
      <Text size="sm" c="dimmed">
        {t('cases.duplicates.unavailable')}
      </Text>
    );
  }
  // A finding for values since changed or cleared is not shown.
  if (!index || !finding || finding.typed !== typed) return null;
  if (finding.codes.length === 0 && !finding.hidden) return null;
  return (
    <Alert color="yellow" variant="light" role="status" title={t('cases.duplicates.title')}>
      {finding.codes.length > 0 && (
        <Group gap="xs">
          <Text size="sm">{t('cases.duplicates.yours')}</Text>
          {finding.codes.map((code) => (
            <Anchor key={code} component={Link} to={`/cases/${code}`} size="sm" ff="monospace">
              {code}
            </Anchor>
          ))}
        </Group>
      )}
      {finding.hidden && <Text size="sm">{t('cases.duplicates.hidden')}</Text>}
      <Text size="xs" c="dimmed" mt={4}>
        {t('cases.duplicates.maybe')}
      </Text>
    </Alert>
  );
}
