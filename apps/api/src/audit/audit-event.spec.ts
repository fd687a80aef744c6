import { auditEventHash, canonicalJson, GENESIS_HASH, initCrypto, toHex } from '@haven/crypto';
import {
  eventClock,
  hashedAuditEvent,
  recordsTimeOfDay,
  type AuditEventRecord,
} from './audit-event';

const base: AuditEventRecord = {
  seq: 7,
  day: '2025-03-02',
  time: null,
  actor: '5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11',
  role: 'caseworker',
  action: 'case.read',
  target: 'K7M3-QX9P',
  outcome: 'ok',
};

describe('audit events', () => {
  beforeAll(() => initCrypto());

  it('hash events without a minute exactly as the first version did', () => {
    expect(canonicalJson(hashedAuditEvent(base))).toBe(
      '{"action":"case.read","actor":"5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11","day":"2025-03-02",' +
        '"outcome":"ok","role":"caseworker","seq":7,"target":"K7M3-QX9P","v":1}',
    );
  });

  it('hash the minute as shape v2, so adding, changing or blanking it changes the hash', () => {
    const timed = { ...base, time: '14:03' };
    expect(canonicalJson(hashedAuditEvent(timed))).toBe(
      '{"action":"case.read","actor":"5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11","day":"2025-03-02",' +
        '"outcome":"ok","role":"caseworker","seq":7,"target":"K7M3-QX9P","time":"14:03","v":2}',
    );
    const hashes = [base, timed, { ...timed, time: '14:04' }].map((e) =>
      toHex(auditEventHash(GENESIS_HASH, hashedAuditEvent(e))),
    );
    expect(new Set(hashes).size).toBe(3);
  });

  it('record the minute for staff activity and the day only for anonymous intake', () => {
    const now = new Date('2025-03-02T23:59:41.123Z');
    expect(eventClock('case.read', now)).toEqual({ day: '2025-03-02', time: '23:59' });
    expect(eventClock('auth.login', now)).toEqual({ day: '2025-03-02', time: '23:59' });
    expect(eventClock('intake.submit', now)).toEqual({ day: '2025-03-02', time: null });
    expect(eventClock('intake.follow_up', now)).toEqual({ day: '2025-03-02', time: null });
    expect(recordsTimeOfDay('audit.export')).toBe(true);
  });
});
