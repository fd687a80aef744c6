import type { AuditExport } from '@haven/contracts';
import { csvField, exportToCsv } from './audit-csv';

describe('csvField', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField('\tx')).toBe("'\tx");
  });
});

describe('exportToCsv', () => {
  const exported: AuditExport = {
    format: 'haven-audit-export/v1',
    exportedOn: '2025-03-02',
    filters: { target: 'K7M3-QX9P', action: 'case' },
    checkpoint: {
      seq: 12,
      head: 'ab'.repeat(32),
      signature: 'S'.repeat(86),
      publicKey: 'P'.repeat(43),
      createdOn: '2025-03-02',
    },
    logKeyFingerprint: '12345 12345 12345 12345 12345 12345',
    count: 2,
    events: [
      {
        seq: 3,
        day: '2025-03-01',
        time: '09:15',
        actor: {
          id: '5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11',
          username: '=evil,name',
          role: 'caseworker',
        },
        action: 'case.read',
        target: 'K7M3-QX9P',
        outcome: 'ok',
        prevHash: '00'.repeat(32),
        hash: '11'.repeat(32),
      },
      {
        seq: 9,
        day: '2025-03-02',
        time: null,
        actor: null,
        action: 'case.access',
        target: 'K7M3-QX9P',
        outcome: 'denied:not_found',
        prevHash: '22'.repeat(32),
        hash: '33'.repeat(32),
      },
    ],
  };

  it('carries the checkpoint and filters in # lines, then a header and one row per event', () => {
    const lines = exportToCsv(exported).split('\r\n');
    expect(lines.slice(0, 12)).toEqual([
      '# format=haven-audit-export/v1',
      '# exported_on=2025-03-02',
      '# checkpoint_seq=12',
      `# checkpoint_head=${'ab'.repeat(32)}`,
      `# checkpoint_signature=${'S'.repeat(86)}`,
      `# checkpoint_public_key=${'P'.repeat(43)}`,
      '# log_key_fingerprint=12345 12345 12345 12345 12345 12345',
      '# filter_target=K7M3-QX9P',
      '# filter_action=case',
      '# count=2',
      'seq,day,time,actor_id,actor_username,role,action,target,outcome,prev_hash,hash',
      `3,2025-03-01,09:15,5f0c6f0e-9a51-4a53-9d7e-2b8f4f1f0a11,"'=evil,name",caseworker,case.read,K7M3-QX9P,ok,${'00'.repeat(32)},${'11'.repeat(32)}`,
    ]);
    expect(lines[12]).toBe(
      `9,2025-03-02,,,,,case.access,K7M3-QX9P,denied:not_found,${'22'.repeat(32)},${'33'.repeat(32)}`,
    );
    expect(lines[13]).toBe('');
    expect(lines).toHaveLength(14);
  });
});
