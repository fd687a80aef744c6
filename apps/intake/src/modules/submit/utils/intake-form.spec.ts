import {
  emptyForm,
  encodePayload,
  type IntakeFormValues,
  LIMITS,
  MAX_PAYLOAD_BYTES,
  toggle,
  toPayload,
  validateForm,
} from './intake-form';

const valid = (): IntakeFormValues => ({
  ...emptyForm(),
  area: 'in_chechnya',
  happened: 'They came to my work.',
  urgency: 'urgent',
  consent: true,
});

describe('validateForm', () => {
  it('asks for area, what happened, urgency and consent, in page order', () => {
    expect(validateForm(emptyForm())).toEqual([
      { field: 'area', message: 'form.errors.areaRequired' },
      { field: 'happened', message: 'form.errors.happenedRequired' },
      { field: 'urgency', message: 'form.errors.urgencyRequired' },
      { field: 'consent', message: 'form.errors.consentRequired' },
    ]);
  });

  it('accepts a minimal form: contact details are optional', () => {
    expect(validateForm(valid())).toEqual([]);
    expect(validateForm({ ...valid(), area: 'prefer_not_to_say' })).toEqual([]);
  });

  it('treats blank text as missing and refuses over-long text', () => {
    expect(validateForm({ ...valid(), happened: '  \n ' }).map((p) => p.field)).toEqual([
      'happened',
    ]);
    const long = validateForm({
      ...valid(),
      happened: 'x'.repeat(LIMITS.happened + 1),
      region: 'x'.repeat(LIMITS.region + 1),
    });
    expect(long).toEqual([
      { field: 'region', message: 'form.errors.tooLong' },
      { field: 'happened', message: 'form.errors.tooLong' },
    ]);
  });

  it('checks "something else" only when it is ticked', () => {
    const other = 'x'.repeat(LIMITS.needsOther + 1);
    expect(validateForm({ ...valid(), needsOther: other })).toEqual([]);
    expect(validateForm({ ...valid(), needs: ['other'], needsOther: other })).toHaveLength(1);
  });
});

describe('toPayload', () => {
  it('is versioned, trimmed, ordered as on the page, and carries the urgency', () => {
    const payload = toPayload(
      {
        ...valid(),
        channels: ['phone', 'signal', 'phone'],
        contactDetails: '  @me ',
        needs: ['legal', 'evacuation'],
        needsOther: 'ignored unless ticked',
      },
      'ru',
    );
    expect(payload).toEqual({
      v: 1,
      kind: 'submission',
      language: 'ru',
      contact: { channels: ['signal', 'phone'], details: '@me', safeTimes: '' },
      location: { area: 'in_chechnya', region: '' },
      happened: 'They came to my work.',
      needs: ['evacuation', 'legal'],
      needsOther: '',
      urgency: 'urgent',
      consent: true,
    });
  });

  it('refuses an invalid form', () => {
    expect(() => toPayload(emptyForm(), 'en')).toThrow();
  });
});

describe('encodePayload', () => {
  it('fits every field at its limit in a 3-byte script into the 16 KiB bucket', () => {
    const cjk = (n: number) => '話'.repeat(n);
    const payload = toPayload(
      {
        ...valid(),
        contactDetails: cjk(LIMITS.contactDetails),
        safeTimes: cjk(LIMITS.safeTimes),
        region: cjk(LIMITS.region),
        happened: cjk(LIMITS.happened),
        needs: ['other'],
        needsOther: cjk(LIMITS.needsOther),
      },
      'en',
    );
    const bytes = encodePayload(payload);
    expect(bytes).not.toBeNull();
    expect(bytes!.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });

  it('returns null for what would not fit (e.g. escaped control characters)', () => {
    const payload = toPayload({ ...valid(), happened: '\u0001'.repeat(LIMITS.happened) }, 'en');
    expect(encodePayload(payload)).toBeNull();
  });
});

describe('toggle', () => {
  it('adds once and removes', () => {
    expect(toggle(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'b', true)).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});
