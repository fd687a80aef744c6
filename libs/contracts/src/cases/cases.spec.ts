import {
  CASE_CODE_ALPHABET,
  CASE_CODE_PATTERN,
  caseCodeFromBytes,
  normaliseCaseCode,
} from './case-code';
import { isAllowedTransition, STATUS_TRANSITIONS, transitionNeedsReason } from './cases';
import { CaseProfile, ContactEntry } from './content';

describe('case codes', () => {
  it('use 30 symbols that cannot be misread, and none of 0 O 1 I L U', () => {
    expect(CASE_CODE_ALPHABET).toHaveLength(30);
    expect(new Set(CASE_CODE_ALPHABET).size).toBe(30);
    for (const confusable of '0O1ILU') expect(CASE_CODE_ALPHABET).not.toContain(confusable);
  });

  it('are drawn without bias: bytes ≥ 240 are skipped', () => {
    const bytes = Uint8Array.from([0, 240, 29, 255, 30, 59, 1, 2, 3, 4]);
    expect(caseCodeFromBytes(bytes)).toBe('2Z2Z-3456');
    expect(caseCodeFromBytes(Uint8Array.from([250, 251, 0]))).toBeNull();
  });

  it('come out canonical and match the pattern', () => {
    const code = caseCodeFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i * 13));
    expect(code).toMatch(CASE_CODE_PATTERN);
  });

  it('are recognised as typed: any case, spaces or hyphens; look-alikes are not guessed', () => {
    expect(normaliseCaseCode(' k7m3 qx9p ')).toBe('K7M3-QX9P');
    expect(normaliseCaseCode('K7M3-QX9P')).toBe('K7M3-QX9P');
    expect(normaliseCaseCode('K7M3-QX9')).toBeNull();
    expect(normaliseCaseCode('K7M3-QX0P')).toBeNull();
    expect(normaliseCaseCode('K7M3-QXOP')).toBeNull();
  });
});

describe('the status machine', () => {
  it('allows exactly the documented steps', () => {
    const allowed = Object.entries(STATUS_TRANSITIONS).flatMap(([from, tos]) =>
      tos.map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'new→active',
        'active→referred',
        'referred→active',
        'active→closed',
        'referred→closed',
        'closed→active',
      ].sort(),
    );
    expect(isAllowedTransition('new', 'closed')).toBe(false);
    expect(isAllowedTransition('closed', 'referred')).toBe(false);
  });

  it('asks for a reason only to reopen', () => {
    expect(transitionNeedsReason('closed', 'active')).toBe(true);
    expect(transitionNeedsReason('active', 'closed')).toBe(false);
  });
});

describe('encrypted content schemas', () => {
  it('fill defaults and refuse an empty alias or an over-long field', () => {
    const parsed = CaseProfile.parse({
      alias: ' Sasha ',
      needs: {},
      consent: { contact: true, shareWithPartners: false, keepData: true },
    });
    expect(parsed.alias).toBe('Sasha');
    expect(parsed.channels).toEqual([]);
    expect(parsed.needs.evacuation).toBe(false);
    expect(CaseProfile.safeParse({ ...parsed, alias: '  ' }).success).toBe(false);
    expect(CaseProfile.safeParse({ ...parsed, location: 'x'.repeat(121) }).success).toBe(false);
  });

  it('require a date and a summary for a contact', () => {
    const ok = { date: '2026-02-01', channel: 'phone', direction: 'inbound', summary: 'called' };
    expect(ContactEntry.parse(ok).nextStep).toBe('');
    expect(ContactEntry.safeParse({ ...ok, date: 'yesterday' }).success).toBe(false);
    expect(ContactEntry.safeParse({ ...ok, summary: '' }).success).toBe(false);
  });
});
