/**
 * Sliding-window counting for the anomaly flags, over events that carry a minute (UTC). Pure,
 * so that the edge cases (exactly at the threshold, windows that touch, distinct versus
 * repeated targets) are unit-tested without a database.
 */

/** One event as the window scan needs it. */
export interface TimedEvent {
  seq: number;
  day: string;
  /** `HH:MM` UTC. */
  time: string;
  /** What is counted distinctly (a case code); null when every event counts. */
  target: string | null;
}

/** A run of overlapping windows that each reached the threshold, merged into one episode. */
export interface Episode {
  day: string;
  from: string;
  to: string;
  /** The highest count any single window of the episode reached. */
  count: number;
  firstSeq: number;
  lastSeq: number;
}

const MINUTE_MS = 60_000;

export function minuteOf(e: Pick<TimedEvent, 'day' | 'time'>): number {
  return Date.parse(`${e.day}T${e.time}:00Z`) / MINUTE_MS;
}

/**
 * Finds every window of events less than `windowMinutes` apart (first to last) that holds at
 * least `threshold` events, or `threshold` distinct targets when `distinct`, and merges
 * windows that overlap into episodes. `events` may come in any order.
 */
export function windowEpisodes(
  events: readonly TimedEvent[],
  windowMinutes: number,
  threshold: number,
  distinct: boolean,
): Episode[] {
  const sorted = [...events]
    .map((e) => ({ ...e, minute: minuteOf(e) }))
    .sort((a, b) => a.minute - b.minute || a.seq - b.seq);
  const episodes: Episode[] = [];
  const counts = new Map<string, number>();
  let plain = 0;
  let left = 0;
  /** The episode being grown, with the minute and index of its last event. */
  let open: { episode: Episode; endMinute: number; endIndex: number } | null = null;

  const key = (e: TimedEvent) => e.target ?? '';
  const seqRange = (from: number, to: number) => {
    let min = Infinity;
    let max = -Infinity;
    for (let i = from; i <= to; i++) {
      min = Math.min(min, sorted[i].seq);
      max = Math.max(max, sorted[i].seq);
    }
    return { min, max };
  };
  for (let right = 0; right < sorted.length; right++) {
    const e = sorted[right];
    counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
    plain += 1;
    while (sorted[left].minute <= e.minute - windowMinutes) {
      const gone = key(sorted[left]);
      const n = (counts.get(gone) ?? 1) - 1;
      if (n === 0) counts.delete(gone);
      else counts.set(gone, n);
      plain -= 1;
      left += 1;
    }
    const value = distinct ? counts.size : plain;
    if (value < threshold) continue;
    const start = sorted[left];
    if (open && start.minute <= open.endMinute) {
      // Overlaps the open episode: it now runs to this event (left only ever moves forward,
      // so the events added are those after the episode's last one).
      const added = seqRange(open.endIndex + 1, right);
      const ep = open.episode;
      ep.to = e.time;
      ep.count = Math.max(ep.count, value);
      ep.firstSeq = Math.min(ep.firstSeq, added.min);
      ep.lastSeq = Math.max(ep.lastSeq, added.max);
      open.endMinute = e.minute;
      open.endIndex = right;
      continue;
    }
    if (open) episodes.push(open.episode);
    const range = seqRange(left, right);
    open = {
      episode: {
        day: start.day,
        from: start.time,
        to: e.time,
        count: value,
        firstSeq: range.min,
        lastSeq: range.max,
      },
      endMinute: e.minute,
      endIndex: right,
    };
  }
  if (open) episodes.push(open.episode);
  return episodes;
}

/** Whether `time` falls in [start, end), a range that may wrap midnight (22:00–06:00). */
export function inHours(time: string, start: string, end: string): boolean {
  if (start === end) return false;
  return start < end ? time >= start && time < end : time >= start || time < end;
}

/** `to` minus `days - 1` days, as an ISO day: the first day of a range of `days` days. */
export function daysBefore(to: string, days: number): string {
  return new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/** Days in [from, to], both included. */
export function daysBetween(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
  );
}
