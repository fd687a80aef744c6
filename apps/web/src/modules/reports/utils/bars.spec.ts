import { toBars } from './bars';

describe('toBars', () => {
  it('scales shown counts to the largest and gives suppressed ones no length', () => {
    expect(
      toBars([
        { key: 'new', label: 'New', count: 8 },
        { key: 'active', label: 'Active', count: '<5' },
        { key: 'closed', label: 'Closed', count: 0 },
        { key: 'referred', label: 'Referred', count: 6 },
      ]).map((b) => [b.key, b.text, b.percent, b.suppressed]),
    ).toEqual([
      ['new', '8', 100, false],
      ['active', '<5', 0, true],
      ['closed', '0', 0, false],
      ['referred', '6', 75, false],
    ]);
  });

  it('draws nothing when every count is zero or hidden', () => {
    expect(toBars([{ key: 'a', label: 'A', count: '<5' }])[0].percent).toBe(0);
    expect(toBars([])).toEqual([]);
  });
});
