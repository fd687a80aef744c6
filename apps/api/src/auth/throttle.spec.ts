import { delayAfter, FREE_FAILURES, MAX_DELAY_SECONDS } from './throttle.service';

describe('delayAfter', () => {
  it('lets the first three failures through, then doubles from 2 s up to 15 min', () => {
    expect([0, 1, 2, 3].map(delayAfter)).toEqual([0, 0, 0, 0]);
    expect([4, 5, 6, 7].map(delayAfter)).toEqual([2, 4, 8, 16]);
    expect(delayAfter(FREE_FAILURES + 9)).toBe(512);
    expect(delayAfter(FREE_FAILURES + 10)).toBe(MAX_DELAY_SECONDS);
    expect(delayAfter(1000)).toBe(MAX_DELAY_SECONDS);
  });
});
