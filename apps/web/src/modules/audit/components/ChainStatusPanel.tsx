import {
  Alert,
  Badge,
  Button,
  Code,
  FileButton,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../api/audit-api';
import { useChainStatus, type ChainWarning } from '../hooks/useChainStatus';
import { serialiseBook } from '../utils/checkpoint-book';
import { useCheckpointBook } from '../utils/checkpoint-store';
import { shortHash, todayUtc } from '../utils/filters';

function WarningText({ warning }: { warning: ChainWarning }) {
  const { t } = useTranslation();
  switch (warning.kind) {
    case 'fingerprintMismatch':
      return t('audit.chain.warning.fingerprintMismatch');
    case 'keyChanged':
      return t('audit.chain.warning.keyChanged');
    case 'badSignature':
      return t('audit.chain.warning.badSignature', { seq: warning.seq });
    case 'fork':
      return t('audit.chain.warning.fork', { seq: warning.seq });
    case 'rollback':
      return t('audit.chain.warning.rollback', { seq: warning.seq });
  }
}

/**
 * Whether the log is intact: the server's verification, the signature on the verified head
 * checked in this browser, the log key's fingerprint to compare out of band, and the kept
 * checkpoints (download them, load them back next time).
 */
export function ChainStatusPanel() {
  const { t } = useTranslation();
  const { check, load } = useChainStatus();
  const book = useCheckpointBook();
  const [loadMessage, setLoadMessage] = useState<string | null>(null);
  const report = check.data;

  const onFile = (file: File | null) => {
    if (!file) return;
    setLoadMessage(null);
    void file.text().then((text) =>
      load.mutate(text, {
        onSuccess: ({ added, problem }) =>
          setLoadMessage(
            problem
              ? t(`audit.chain.load.${problem}`)
              : t('audit.chain.load.added', { count: added }),
          ),
      }),
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="chain-heading">
      <Stack gap="sm">
        <Title order={2} id="chain-heading" size="h3">
          {t('audit.chain.title')}
        </Title>
        {check.isPending && (
          <Group gap="xs">
            <Loader size="sm" aria-hidden />
            <Text data-testid="chain-status">{t('audit.chain.verifying')}</Text>
          </Group>
        )}
        {check.isError && (
          <Alert color="red" role="alert">
            {t('audit.chain.error')}
          </Alert>
        )}
        {report && !check.isPending && (
          <Stack gap={4}>
            <Group gap="xs">
              <Badge
                color={report.result.ok ? 'green' : 'red'}
                size="lg"
                data-testid="chain-status"
              >
                {report.result.ok ? t('audit.chain.verified') : t('audit.chain.broken')}
              </Badge>
              <Text size="sm">
                {report.result.ok
                  ? t('audit.chain.verifiedDetail', {
                      count: report.result.count,
                      seq: report.result.headSeq ?? 0,
                    })
                  : t('audit.chain.brokenDetail', {
                      seq: report.result.brokenAtSeq ?? 0,
                      reason: t(`audit.chain.reason.${report.result.reason ?? 'hash'}`),
                    })}
              </Text>
            </Group>
            {report.result.trimmedThroughSeq !== null && (
              <Text size="sm" data-testid="chain-trimmed">
                {t('audit.chain.trimmed', {
                  seq: report.result.trimmedThroughSeq,
                  first: report.result.trimmedThroughSeq + 1,
                  day: report.result.trimmedOn ?? '',
                })}
              </Text>
            )}
            {report.lastVerified && (
              <Text size="sm" data-testid="last-checkpoint">
                {t('audit.chain.lastCheckpoint', {
                  seq: report.lastVerified.seq,
                  day: report.lastVerified.createdOn,
                })}{' '}
                <Code>{shortHash(report.lastVerified.head)}</Code>
              </Text>
            )}
            <Text size="sm">
              {t('audit.chain.fingerprint')}{' '}
              <Code data-testid="log-key-fingerprint">{report.logKey.fingerprint}</Code>
            </Text>
          </Stack>
        )}
        {report?.warnings.map((warning) => (
          <Alert
            key={`${warning.kind}-${'seq' in warning ? warning.seq : ''}`}
            color="red"
            role="alert"
          >
            <WarningText warning={warning} />
          </Alert>
        ))}
        <Text size="sm" c="dimmed">
          {t('audit.chain.kept', { count: book?.checkpoints.length ?? 0 })}
        </Text>
        <Group gap="xs">
          <Button size="xs" onClick={() => check.mutate()} loading={check.isPending}>
            {t('audit.chain.verifyAgain')}
          </Button>
          <Button
            size="xs"
            variant="light"
            disabled={!book || book.checkpoints.length === 0}
            onClick={() => {
              if (!book) return;
              const last = book.checkpoints[book.checkpoints.length - 1];
              saveFile(
                new Blob([serialiseBook(book, todayUtc())], { type: 'application/json' }),
                `haven-audit-checkpoints-${last?.seq ?? 0}.json`,
              );
            }}
          >
            {t('audit.chain.download')}
          </Button>
          <FileButton onChange={onFile} accept="application/json,.json">
            {(props) => (
              <Button size="xs" variant="light" {...props}>
                {t('audit.chain.load.button')}
              </Button>
            )}
          </FileButton>
        </Group>
        {loadMessage && (
          <Text size="sm" role="status">
            {loadMessage}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
