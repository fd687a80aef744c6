import { COMMON_PASSWORDS } from './common-passwords';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts long, unremarkable passphrases', () => {
    for (const ok of [
      'correct horse battery staple',
      'Tbilisi rain at 4am, again',
      'мой кот любит тёплый подоконник',
      'vK9#q2Lp!x7Rm',
    ]) {
      expect({ ok, problem: passwordProblem(ok) }).toEqual({ ok, problem: null });
    }
  });

  it(`refuses anything under ${MIN_PASSWORD_LENGTH} characters (counting characters, not bytes)`, () => {
    expect(passwordProblem('short pass')).toBe('tooShort');
    expect(passwordProblem('ёжик в тумане')).toBeNull();
    expect(passwordProblem('ёжиктуман')).toBe('tooShort');
  });

  it('refuses every listed password that is long enough to get that far', () => {
    const long = COMMON_PASSWORDS.filter((p) => [...p].length >= MIN_PASSWORD_LENGTH);
    expect(long.length).toBeGreaterThan(10);
    for (const p of long) {
      expect({ p, problem: passwordProblem(p) }).not.toEqual({ p, problem: null });
    }
  });

  it('refuses common stems dressed up with digits, symbols, capitals and l33t', () => {
    for (const p of [
      'Password2024!',
      'P@ssw0rd123456',
      'iloveyou!!!!1',
      '2024Welcome!!',
      'ПАРОЛЬ12345678',
    ]) {
      expect({ p, problem: passwordProblem(p) }).toEqual({ p, problem: 'common' });
    }
  });

  it('refuses keyboard walks, counting runs and repetitions', () => {
    expect(passwordProblem('qwertyuiopasdf')).toBe('sequence');
    expect(passwordProblem('1q2w3e4r5t6y7u')).toBe('sequence');
    expect(passwordProblem('йцукенгшщзхъ')).toBe('common');
    expect(passwordProblem('9876543210987')).toBe('sequence');
    expect(passwordProblem('abcabcabcabc')).toBe('common');
    expect(passwordProblem('xyzxyzxyzxyzxyz')).toBe('repetitive');
    expect(passwordProblem('ababababababab')).toBe('repetitive');
  });

  it('refuses a password containing the username, and a confirmation that differs', () => {
    expect(passwordProblem('my name is anna.k forever', { username: 'Anna.K' })).toBe(
      'containsUsername',
    );
    expect(
      passwordProblem('correct horse battery staple', { confirmation: 'correct horse battery' }),
    ).toBe('mismatch');
    expect(
      passwordProblem('correct horse battery staple', {
        username: 'anna',
        confirmation: 'correct horse battery staple',
      }),
    ).toBeNull();
  });
});
