import { EMPTY_DRAFT, outcomeColor, shortHash, toFilter } from './filters';

describe('toFilter', () => {
  it('leaves blank fields out', () => {
    expect(toFilter(EMPTY_DRAFT)).toEqual({});
  });

  it('trims, lower-cases actions and upper-cases case codes', () => {
    expect(
      toFilter({
        actor: '5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11',
        action: ' Case.Read ',
        target: ' k7m3-qx9p ',
        outcome: 'denied',
        from: '2025-03-01',
        to: '2025-03-02',
      }),
    ).toEqual({
      actor: '5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11',
      action: 'case.read',
      target: 'K7M3-QX9P',
      outcome: 'denied',
      from: '2025-03-01',
      to: '2025-03-02',
    });
    expect(toFilter({ ...EMPTY_DRAFT, target: 'GET /api/users' }).target).toBe('GET /api/users');
  });
});

describe('display helpers', () => {
  it('colour outcomes by kind and shorten hashes', () => {
    expect(outcomeColor('ok')).toBe('green');
    expect(outcomeColor('denied:not_found')).toBe('orange');
    expect(outcomeColor('failed:hash')).toBe('red');
    expect(shortHash('0123456789abcdef'.repeat(4))).toBe('01234567…89abcdef');
  });
});
