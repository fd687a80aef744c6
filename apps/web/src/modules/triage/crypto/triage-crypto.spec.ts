import { CaseProfile, IntakeFormContent } from '@haven/contracts';
import { formText, profileFromForm } from './triage-crypto';

const payload = {
  v: 1,
  kind: 'submission',
  language: 'ru',
  contact: { channels: ['signal', 'telegram'], details: '@sasha_safe', safeTimes: 'after 22:00' },
  location: { area: 'in_chechnya', region: 'Grozny' },
  happened: 'My brother found my messages.\nI need to leave.',
  needs: ['evacuation', 'shelter', 'other'],
  needsOther: 'a place for my cat',
  urgency: 'critical',
  consent: true,
};

describe('triage: reading what the person sent', () => {
  it('parses the intake page payload and turns it into a valid case profile', () => {
    const form = IntakeFormContent.parse(payload);
    const profile = profileFromForm(form, 'Sasha');
    expect(CaseProfile.parse(profile)).toEqual(profile);
    expect(profile).toMatchObject({
      alias: 'Sasha',
      channels: [{ type: 'other', app: 'signal, telegram', value: '@sasha_safe' }],
      safeTimes: 'after 22:00',
      languages: ['ru'],
      location: 'in_chechnya — Grozny',
      situation: payload.happened,
      needs: { evacuation: true, shelter: true, legal: false },
    });
    const text = formText(form);
    expect(text).toContain('I need to leave.');
    expect(text).toContain('a place for my cat');
    expect(text).toContain('critical');
  });

  it('tolerates a malformed payload without trusting it', () => {
    const form = IntakeFormContent.parse({
      kind: 'submission',
      contact: 'not an object',
      needs: 'evacuation',
      urgency: 'panic',
      happened: 42,
    });
    expect(form).toMatchObject({ happened: '', needs: [], urgency: 'routine' });
    expect(profileFromForm(form, 'X').channels).toEqual([]);
    expect(IntakeFormContent.safeParse({ kind: 'follow_up', text: 'hi' }).success).toBe(false);
  });
});
