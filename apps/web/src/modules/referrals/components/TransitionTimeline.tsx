import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OpenedTransition } from '../crypto/referral-crypto';

/** Every change of a referral, oldest first, with its decrypted note where there is one. */
export function TransitionTimeline({
  transitions,
  nameOf,
}: {
  transitions: readonly OpenedTransition[];
  nameOf: (userId: string) => string;
}) {
  const { t } = useTranslation();
  return (
    <Timeline bulletSize={12} lineWidth={2} data-testid="referral-timeline">
      {transitions.map(({ transition, note }) => (
        <Timeline.Item
          key={transition.id}
          data-to={transition.to}
          title={
            <Text size="sm" fw={500}>
              {transition.from === null
                ? t('referrals.timeline.proposed')
                : t('referrals.timeline.change', {
                    from: t(`referrals.status.${transition.from}`),
                    to: t(`referrals.status.${transition.to}`),
                  })}
            </Text>
          }
        >
          <Text size="xs" c="dimmed">
            {t('referrals.timeline.by', { day: transition.day, name: nameOf(transition.actorId) })}
          </Text>
          {note &&
            (note.ok ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="transition-note">
                {note.value.text}
              </Text>
            ) : (
              <Text size="sm" c="dimmed" fs="italic">
                {t('referrals.timeline.noteUnreadable')}
              </Text>
            ))}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
