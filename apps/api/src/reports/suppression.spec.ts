import { suppressCounts, suppressMedian, suppressOne, type SumGroup } from './suppression';

const table = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('suppressCounts', () => {
  it('hides 1 to 4, shows 0 and 5 and more', () => {
    const shown = suppressCounts(table({ a: 0, b: 1, c: 4, d: 5, e: 12 }), []);
    expect(Object.fromEntries(shown)).toEqual({ a: 0, b: '<5', c: '<5', d: 5, e: 12 });
  });

  it('hides a second cell where a shown total would give a lone hidden one away', () => {
    const groups: SumGroup[] = [{ total: 'total', parts: ['new', 'active', 'closed'] }];
    const shown = suppressCounts(table({ total: 20, new: 3, active: 9, closed: 8 }), groups);
    // 20 − 9 − 8 would be 3: the smallest other part (8) is hidden as well.
    expect(Object.fromEntries(shown)).toEqual({ total: 20, new: '<5', active: 9, closed: '<5' });
  });

  it('needs nothing more when two parts are already hidden or the total is', () => {
    const groups: SumGroup[] = [{ total: 'total', parts: ['a', 'b', 'c'] }];
    expect(
      Object.fromEntries(suppressCounts(table({ total: 12, a: 2, b: 3, c: 7 }), groups)),
    ).toEqual({ total: 12, a: '<5', b: '<5', c: 7 });
    expect(
      Object.fromEntries(suppressCounts(table({ total: 3, a: 3, b: 0, c: 0 }), groups)),
    ).toEqual({ total: '<5', a: '<5', b: 0, c: 0 });
  });

  it('leaves no hidden cell recoverable from any shown total in a table with margins', () => {
    // 2 × 2 table with both margins and a grand total.
    const counts = table({
      total: 30,
      r1: 12,
      r2: 18,
      c1: 13,
      c2: 17,
      r1c1: 2,
      r1c2: 10,
      r2c1: 11,
      r2c2: 7,
    });
    const groups: SumGroup[] = [
      { total: 'total', parts: ['r1', 'r2'] },
      { total: 'total', parts: ['c1', 'c2'] },
      { total: 'r1', parts: ['r1c1', 'r1c2'] },
      { total: 'r2', parts: ['r2c1', 'r2c2'] },
      { total: 'c1', parts: ['r1c1', 'r2c1'] },
      { total: 'c2', parts: ['r1c2', 'r2c2'] },
    ];
    const shown = suppressCounts(counts, groups);
    for (const g of groups) {
      if (shown.get(g.total) === '<5') continue;
      const hidden = g.parts.filter((p) => shown.get(p) === '<5');
      expect({ group: g.total, loneHidden: hidden.length === 1 }).toEqual({
        group: g.total,
        loneHidden: false,
      });
    }
    expect(shown.get('r1c1')).toBe('<5');
  });
});

describe('suppressMedian and suppressOne', () => {
  it('hide a median of fewer than five cases and counts of 1 to 4', () => {
    expect(suppressMedian(3, 4)).toBeNull();
    expect(suppressMedian(3, 5)).toBe(3);
    expect(suppressMedian(null, 9)).toBeNull();
    expect(suppressOne(0)).toBe(0);
    expect(suppressOne(4)).toBe('<5');
    expect(suppressOne(5)).toBe(5);
  });
});
