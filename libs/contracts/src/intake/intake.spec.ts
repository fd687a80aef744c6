import { IdempotencyKey, IntakeThreadResponse, SubmitIntakeBody } from './intake';

const valid = {
  envelope: 'AQQ',
  lookupId: '0123456789abcdef0123456789abcdef',
  replyPublicKey: `${'A'.repeat(42)}E`,
  urgency: 'critical',
  keyVersion: 1,
};

describe('intake schemas', () => {
  it('accept a well-formed submission and drop undeclared fields', () => {
    expect(SubmitIntakeBody.parse({ ...valid, ip: '203.0.113.77' })).toEqual(valid);
  });

  it.each([
    ['a padded base64 envelope', { envelope: 'AQQ=' }],
    ['standard base64 characters', { envelope: 'AQ+/' }],
    ['an uppercase lookup id', { lookupId: valid.lookupId.toUpperCase() }],
    ['a short lookup id', { lookupId: valid.lookupId.slice(2) }],
    ['a 31-byte reply key', { replyPublicKey: 'A'.repeat(42) }],
    ['a reply key with stray low bits', { replyPublicKey: `${'A'.repeat(42)}B` }],
    ['an unknown urgency', { urgency: 'soon' }],
  ])('refuse %s', (_name, change) => {
    expect(SubmitIntakeBody.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it('take idempotency keys of 16 to 128 base64url characters', () => {
    expect(IdempotencyKey.safeParse('a'.repeat(16)).success).toBe(true);
    expect(IdempotencyKey.safeParse('a'.repeat(15)).success).toBe(false);
    expect(IdempotencyKey.safeParse('a'.repeat(129)).success).toBe(false);
    expect(IdempotencyKey.safeParse('a b'.repeat(8)).success).toBe(false);
  });

  it('describe threads with day-only dates and no envelope for the person’s own messages', () => {
    const thread = {
      messages: [
        { direction: 'from_person', sentOn: '2026-03-01', envelope: null },
        { direction: 'from_staff', sentOn: '2026-03-02', envelope: 'AQY' },
      ],
    };
    expect(IntakeThreadResponse.parse(thread)).toEqual(thread);
    const timed = { messages: [{ ...thread.messages[0], sentOn: '2026-03-01T10:00:00Z' }] };
    expect(IntakeThreadResponse.safeParse(timed).success).toBe(false);
  });
});
