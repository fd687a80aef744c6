import { SUPPRESSED, type ReportCount } from '@haven/contracts';

export interface Bar {
  key: string;
  label: string;
  /** What is written beside the bar: the count, or "<5". */
  text: string;
  /** Bar length, 0-100, relative to the largest shown count; 0 for a suppressed one. */
  percent: number;
  suppressed: boolean;
}

/** Bars for a list of counts (suppressed counts get no length: their size is not known). */
export function toBars(
  items: readonly { key: string; label: string; count: ReportCount }[],
): Bar[] {
  const max = Math.max(0, ...items.map((i) => (i.count === SUPPRESSED ? 0 : i.count)));
  return items.map((i) => {
    const suppressed = i.count === SUPPRESSED;
    const value = suppressed ? 0 : (i.count as number);
    return {
      key: i.key,
      label: i.label,
      text: String(i.count),
      percent: max > 0 ? Math.round((value / max) * 100) : 0,
      suppressed,
    };
  });
}
