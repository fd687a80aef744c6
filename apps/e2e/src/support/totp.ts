import { Secret, TOTP } from 'otpauth';

/**
 * The authenticator app of a test person: codes from the secret the enrolment page shows for
 * manual entry. The server takes each code once and accepts one step either side of now, so
 * successive sign-ins use successive steps.
 */
export class Authenticator {
  private last = 0;

  constructor(readonly base32: string) {}

  /** The last time step used (for handing the person over to support/staff.ts). */
  get lastStep(): number {
    return this.last;
  }

  static fromDisplayed(text: string): Authenticator {
    return new Authenticator(text.replace(/\s+/g, ''));
  }

  /** The next unused code: the current step, or the one after it if that is used. */
  code(): string {
    const now = Math.floor(Date.now() / 30_000);
    const step = Math.max(now, this.last + 1);
    if (step > now + 1) throw new Error('this test used every code of the current window');
    this.last = step;
    return new TOTP({ secret: Secret.fromBase32(this.base32), digits: 6, period: 30 }).generate({
      timestamp: step * 30_000,
    });
  }
}
