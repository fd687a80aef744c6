import { Group, Progress, Stack, Text } from '@mantine/core';
import type { Bar } from '../utils/bars';

/**
 * A horizontal bar chart from Mantine's Progress (CSS only, no chart library). A suppressed
 * count shows as "<5" with an empty bar: drawing it would suggest a size nobody may know.
 */
export function BarList({ bars, label }: { bars: readonly Bar[]; label: string }) {
  return (
    <Stack gap={6} role="list" aria-label={label}>
      {bars.map((bar) => (
        <div key={bar.key} role="listitem" data-bar={bar.key}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">{bar.label}</Text>
            <Text size="sm" fw={600} c={bar.suppressed ? 'dimmed' : undefined}>
              {bar.text}
            </Text>
          </Group>
          <Progress value={bar.percent} size="md" aria-hidden />
        </div>
      ))}
    </Stack>
  );
}
