import { COMMON_PASSWORDS, COMMON_STEMS, SEQUENCES } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 12;

/** Why a password is refused; each has a message in the locales (`password.rules.*`). */
export type PasswordProblem =
  'tooShort' | 'common' | 'sequence' | 'repetitive' | 'containsUsername' | 'mismatch';

const common = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));
const stems = new Set(COMMON_STEMS);

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

function characters(text: string): string[] {
  return [...text.normalize('NFKC')];
}

/** Lower-cased, l33t undone, with digits and symbols at both ends removed. */
function stemOf(password: string): string {
  const lower = password.normalize('NFKC').toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return [...core].map((c) => LEET[c] ?? c).join('');
}

/** Made of one unit of up to four characters repeated ("aaaaaaaaaaaa", "abcabcabcabc"). */
function isRepetitive(lower: string): boolean {
  const chars = [...lower];
  for (let unit = 1; unit <= 4; unit++) {
    if (chars.length % unit !== 0 || chars.length < unit * 3) continue;
    const head = chars.slice(0, unit).join('');
    if (head.repeat(chars.length / unit) === lower) return true;
  }
  return new Set(chars).size <= 2;
}

const CYCLES = SEQUENCES.map((seq) => seq.repeat(2));

/** Length of the longest keyboard or counting run that starts at `from`. */
function runAt(text: string, from: number): number {
  let best = 0;
  for (let end = from + 3; end <= text.length; end++) {
    const piece = text.slice(from, end);
    if (!CYCLES.some((cycle) => cycle.includes(piece))) break;
    best = end - from;
  }
  return best;
}

/**
 * Mostly keyboard walks or counting runs, forwards or backwards, possibly several glued
 * together ("qwertyuiopasdf", "1q2w3e4r5t6y7u"): runs of 3+ cover three quarters of it.
 */
function isSequence(lower: string): boolean {
  const text = lower.replace(/[^\p{L}\p{N}]/gu, '');
  if (text.length < 6) return false;
  let covered = 0;
  for (let i = 0; i < text.length;) {
    const run = runAt(text, i);
    if (run >= 3) {
      covered += run;
      i += run;
    } else {
      i++;
    }
  }
  return covered >= text.length * 0.75;
}

/**
 * What is wrong with a new password, or null when it may be used. The check runs in the
 * browser only: the server never sees the password (it receives a key derived from it), so it
 * cannot check anything about it. Order: the first problem found is the one shown.
 */
export function passwordProblem(
  password: string,
  options: { username?: string; confirmation?: string } = {},
): PasswordProblem | null {
  if (characters(password).length < MIN_PASSWORD_LENGTH) return 'tooShort';
  const lower = password.normalize('NFKC').toLowerCase();
  if (common.has(lower) || common.has(lower.trim())) return 'common';
  const stem = stemOf(password);
  if (stem.length > 0 && (stems.has(stem) || common.has(stem))) return 'common';
  if (isRepetitive(lower)) return 'repetitive';
  if (isSequence(lower)) return 'sequence';
  const name = options.username?.normalize('NFKC').trim().toLowerCase() ?? '';
  if (name.length >= 3 && lower.includes(name)) return 'containsUsername';
  if (options.confirmation !== undefined && options.confirmation !== password) return 'mismatch';
  return null;
}
