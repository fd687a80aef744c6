import { QUICK_EXIT_URL, isQuickExitKey, quickExit } from './quick-exit';

describe('isQuickExitKey', () => {
  it('is Escape', () => {
    expect(isQuickExitKey({ key: 'Escape', isComposing: false })).toBe(true);
  });

  it('is not Escape while an input method composes text', () => {
    expect(isQuickExitKey({ key: 'Escape', isComposing: true })).toBe(false);
  });

  it('is no other key', () => {
    for (const key of ['Esc', 'Enter', 'q', 'Backspace', 'Tab']) {
      expect(isQuickExitKey({ key, isComposing: false })).toBe(false);
    }
  });
});

describe('quickExit', () => {
  it('blanks the page and replaces this history entry with the neutral site', () => {
    const replaced: string[] = [];
    const body = { hidden: false };
    const win = {
      location: { replace: (url: string) => replaced.push(url) },
      document: { body },
    } as unknown as Window;

    quickExit(win);

    expect(body.hidden).toBe(true);
    expect(replaced).toEqual([QUICK_EXIT_URL]);
  });

  it('leaves for an https address on a well-known neutral host', () => {
    const url = new URL(QUICK_EXIT_URL);
    expect(url.protocol).toBe('https:');
    expect(url.hostname).toBe('www.wikipedia.org');
  });
});
