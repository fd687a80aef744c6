import { caseCodeFromBytes } from '@haven/contracts';
import { randomBytes } from '@haven/crypto';

/**
 * A fresh random case code from the platform CSPRNG (rejection sampling in
 * `caseCodeFromBytes`, so every symbol is equally likely). 16 bytes hold the 8 symbols needed
 * unless more than 8 bytes fall in the rejected 16/256; draw again in that rare case.
 */
export function newCaseCode(): string {
  for (;;) {
    const code = caseCodeFromBytes(randomBytes(16));
    if (code) return code;
  }
}
