import { CaseProfile } from '@haven/contracts';
import {
  fieldsIn,
  narrowFields,
  normaliseFields,
  PacketContent,
  packetContent,
} from './packet-fields';

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

describe('packet field selection', () => {
  it('keeps known fields in canonical order without repeats', () => {
    expect(normaliseFields(['notes', 'contact', 'bogus', 'contact', 'needs'])).toEqual([
      'contact',
      'needs',
      'notes',
    ]);
  });

  it('lets a coordinator narrow the proposed fields but never add one', () => {
    expect(narrowFields(['contact', 'needs'], ['needs', 'situation'])).toEqual(['needs']);
    expect(narrowFields(['contact', 'needs'], [])).toEqual([]);
  });
});

describe('packetContent', () => {
  it('copies exactly the chosen fields and nothing else of the case', () => {
    const packet = packetContent(profile, ['needs', 'location'], 'ignored');
    expect(packet).toEqual({ v: 1, needs: ['evacuation', 'shelter'], location: 'Grozny' });
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

  it('carries every field when every field is chosen', () => {
    const packet = packetContent(
      profile,
      ['contact', 'location', 'needs', 'situation', 'language', 'notes'],
      '  Meet at the station.  ',
    );
    expect(packet).toEqual({
      v: 1,
      contact: {
        alias: 'Sasha',
        channels: [{ type: 'phone', app: '', value: '+7 926 555 12 34', note: 'texts only' }],
        safeTimes: 'evenings',
      },
      location: 'Grozny',
      needs: ['evacuation', 'shelter'],
      situation: { situation: 'Family found out.', risks: 'Brother is in the police.' },
      language: ['ru', 'ce'],
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
    expect(PacketContent.parse(JSON.parse(JSON.stringify(packet)))).toEqual(packet);
  });

  it('makes an empty packet for no fields, and the reader refuses another format', () => {
    expect(packetContent(profile, [])).toEqual({ v: 1 });
    expect(PacketContent.safeParse({ v: 2 }).success).toBe(false);
    expect(PacketContent.safeParse({ v: 1, needs: ['flying'] }).success).toBe(false);
  });
});
