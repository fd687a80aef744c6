import { CaseProfile, ReferralPacketContent } from '@haven/contracts';
import { fieldsIn, normaliseFields, packetContent, type PacketLabels } from './packet-fields';

const profile = CaseProfile.parse({
  alias: 'Sasha',
  channels: [{ type: 'phone', value: '+7 926 555 12 34', note: 'texts only' }],
  safeTimes: 'evenings',
  languages: ['ru', 'ce'],
  location: 'Grozny',
  situation: 'Family found out.',
  risks: 'Brother is in the police.',
  needs: { evacuation: true, shelter: true },
  consent: { contact: true, shareWithPartners: true, keepData: true },
});

const labels: PacketLabels = {
  safeTimes: 'Safe times',
  risks: 'Risks',
  channel: (type) => (type === 'phone' ? 'Phone' : type),
  need: (need) => need.toUpperCase(),
};

const base = { profile, service: 'evacuation', urgency: 'urgent', labels } as const;

describe('packet field selection', () => {
  it('keeps known fields in canonical order without repeats', () => {
    expect(normaliseFields(['notes', 'contact', 'bogus', 'contact', 'needs'])).toEqual([
      'contact',
      'needs',
      'notes',
    ]);
  });
});

describe('packetContent', () => {
  it('copies exactly the chosen fields and nothing else of the case', () => {
    const packet = packetContent({ ...base, fields: ['needs', 'location'], notes: 'ignored' });
    expect(packet).toEqual({
      format: 1,
      service: 'evacuation',
      urgency: 'urgent',
      fields: { needs: 'EVACUATION, SHELTER', location: 'Grozny' },
    });
    const text = JSON.stringify(packet);
    for (const secret of [
      'Sasha',
      '+7 926',
      'Family found out',
      'Brother',
      'evenings',
      'ignored',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('carries every field as text when every field is chosen', () => {
    const packet = packetContent({
      ...base,
      fields: ['contact', 'location', 'needs', 'situation', 'language', 'notes'],
      notes: '  Meet at the station.  ',
    });
    expect(packet.fields).toEqual({
      contact: 'Sasha\nPhone: +7 926 555 12 34 — texts only\nSafe times: evenings',
      location: 'Grozny',
      needs: 'EVACUATION, SHELTER',
      situation: 'Family found out.\n\nRisks: Brother is in the police.',
      language: 'ru, ce',
      notes: 'Meet at the station.',
    });
    expect(fieldsIn(packet)).toEqual([
      'contact',
      'location',
      'needs',
      'situation',
      'language',
      'notes',
    ]);
    // What is built is what the assignee's browser accepts after decryption.
    expect(ReferralPacketContent.parse(JSON.parse(JSON.stringify(packet)))).toEqual(packet);
  });

  it('makes a packet without fields for none, and clips a field to the schema’s limit', () => {
    expect(packetContent({ ...base, fields: [] }).fields).toEqual({});
    const long = CaseProfile.parse({ ...profile, situation: 'x'.repeat(20_000), risks: '' });
    const packet = packetContent({ ...base, profile: long, fields: ['situation'] });
    expect(packet.fields.situation).toHaveLength(20_000);
    expect(ReferralPacketContent.safeParse({ ...packet, format: 2 }).success).toBe(false);
  });
});
