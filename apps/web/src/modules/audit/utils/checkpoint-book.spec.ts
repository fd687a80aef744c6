import type { AuditCheckpoint } from '@haven/contracts';
import {
  add,
  conflicts,
  emptyBook,
  judge,
  latest,
  parseBook,
  serialiseBook,
} from './checkpoint-book';

const key = { publicKey: 'K'.repeat(43), fingerprint: '00000 11111 22222 33333 44444 55555' };
const cp = (seq: number, head: string): AuditCheckpoint => ({
  seq,
  head: head.repeat(64 / head.length),
  signature: 'S'.repeat(86),
  publicKey: key.publicKey,
  createdOn: '2025-03-02',
});

describe('checkpoint book', () => {
  const book = add(add(emptyBook(key, '2025-03-01'), cp(10, 'a')), cp(20, 'b'));

  it('keeps checkpoints once, in seq order', () => {
    expect(book.checkpoints.map((c) => c.seq)).toEqual([10, 20]);
    expect(add(book, cp(10, 'a'))).toBe(book);
    expect(add(book, cp(15, 'c')).checkpoints.map((c) => c.seq)).toEqual([10, 15, 20]);
    expect(latest(book)?.seq).toBe(20);
    expect(latest(emptyBook(key, '2025-03-01'))).toBeUndefined();
  });

  it('judges a new checkpoint: known, extending, fork or rollback', () => {
    expect(judge(emptyBook(key, '2025-03-01'), cp(5, 'a'))).toEqual({ kind: 'new' });
    expect(judge(book, cp(20, 'b'))).toEqual({ kind: 'known' });
    expect(judge(book, cp(30, 'c'))).toEqual({ kind: 'extends', from: cp(20, 'b') });
    expect(judge(book, cp(20, 'f'))).toEqual({ kind: 'fork', at: cp(20, 'b') });
    expect(judge(book, cp(12, 'c'))).toEqual({ kind: 'rollback', at: cp(20, 'b') });
  });

  it('finds two heads for one seq in a loaded book', () => {
    const forked = { ...book, checkpoints: [...book.checkpoints, cp(10, 'e')] };
    expect(conflicts(book)).toEqual([]);
    expect(conflicts(forked)).toEqual([cp(10, 'e')]);
  });

  it('round-trips through the downloaded file and refuses anything else', () => {
    const text = serialiseBook(book, '2025-03-02');
    expect(parseBook(text)).toEqual({ ...book, savedOn: '2025-03-02' });
    expect(parseBook('not json')).toBeNull();
    expect(parseBook(JSON.stringify({ ...book, format: 'other' }))).toBeNull();
    expect(parseBook(JSON.stringify({ ...book, checkpoints: [{ seq: -1 }] }))).toBeNull();
  });
});
