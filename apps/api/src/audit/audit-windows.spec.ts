import { daysBefore, daysBetween, inHours, windowEpisodes, type TimedEvent } from './audit-windows';

let seq = 0;
const at = (time: string, target: string | null = null, day = '2025-03-02'): TimedEvent => ({
  seq: ++seq,
  day,
  time,
  target,
});

describe('windowEpisodes', () => {
  it('flags a window that reaches the threshold of distinct targets within the hour', () => {
    const reads = ['09:00', '09:10', '09:20', '09:30', '09:59'].map((t, i) => at(t, `CASE-${i}`));
    const [episode, ...rest] = windowEpisodes(reads, 60, 5, true);
    expect(rest).toEqual([]);
    expect(episode).toEqual({
      day: '2025-03-02',
      from: '09:00',
      to: '09:59',
      count: 5,
      firstSeq: reads[0].seq,
      lastSeq: reads[4].seq,
    });
  });

  it('does not flag one short of the threshold, or the same spread over more than an hour', () => {
    const four = ['09:00', '09:10', '09:20', '09:30'].map((t, i) => at(t, `CASE-${i}`));
    expect(windowEpisodes(four, 60, 5, true)).toEqual([]);
    const spread = ['09:00', '09:10', '09:20', '09:30', '10:00'].map((t, i) => at(t, `C-${i}`));
    expect(windowEpisodes(spread, 60, 5, true)).toEqual([]);
  });

  it('counts a case read twice once when counting distinct targets, twice when not', () => {
    const reads = ['09:00', '09:01', '09:02'].map((t) => at(t, 'SAME'));
    expect(windowEpisodes(reads, 60, 2, true)).toEqual([]);
    expect(windowEpisodes(reads, 60, 3, false)).toHaveLength(1);
  });

  it('merges overlapping windows into one episode with the highest count', () => {
    const reads = ['09:00', '09:20', '09:40', '10:05', '10:30'].map((t, i) => at(t, `C-${i}`));
    const episodes = windowEpisodes(reads, 60, 3, true);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ from: '09:00', to: '10:30', count: 3 });
    expect(episodes[0].firstSeq).toBe(reads[0].seq);
    expect(episodes[0].lastSeq).toBe(reads[4].seq);
  });

  it('keeps episodes apart when their windows do not overlap, across midnight too', () => {
    const failures = [
      at('23:50', null, '2025-03-01'),
      at('23:55', null, '2025-03-01'),
      at('00:02', null, '2025-03-02'),
      at('08:00'),
      at('08:01'),
      at('08:14'),
    ];
    const episodes = windowEpisodes(failures, 15, 3, false);
    expect(episodes.map((e) => [e.day, e.from, e.to, e.count])).toEqual([
      ['2025-03-01', '23:50', '00:02', 3],
      ['2025-03-02', '08:00', '08:14', 3],
    ]);
  });

  it('takes events in any order', () => {
    const a = at('09:00', 'A');
    const b = at('09:05', 'B');
    expect(windowEpisodes([b, a], 60, 2, true)).toEqual(windowEpisodes([a, b], 60, 2, true));
  });
});

describe('inHours', () => {
  it('takes [start, end), wrapping midnight when start is after end', () => {
    expect(inHours('00:00', '00:00', '06:00')).toBe(true);
    expect(inHours('05:59', '00:00', '06:00')).toBe(true);
    expect(inHours('06:00', '00:00', '06:00')).toBe(false);
    expect(inHours('23:30', '22:00', '06:00')).toBe(true);
    expect(inHours('03:00', '22:00', '06:00')).toBe(true);
    expect(inHours('12:00', '22:00', '06:00')).toBe(false);
    expect(inHours('12:00', '12:00', '12:00')).toBe(false);
  });
});

describe('day ranges', () => {
  it('count both ends', () => {
    expect(daysBefore('2025-03-02', 7)).toBe('2025-02-24');
    expect(daysBetween('2025-02-24', '2025-03-02')).toBe(7);
    expect(daysBetween('2025-03-02', '2025-03-02')).toBe(1);
  });
});
