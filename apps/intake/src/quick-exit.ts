/**
 * Quick exit: leave for a neutral, everyday website at once. location.replace() swaps this
 * page's history entry for the neutral site, so Back does not bring the hotline page back.
 */
export const QUICK_EXIT_URL = 'https://www.wikipedia.org/';

export function quickExit(win: Pick<Window, 'location' | 'document'>): void {
  // Blank the page first, so nothing stays readable while the next site loads.
  win.document.body.hidden = true;
  win.location.replace(QUICK_EXIT_URL);
}

/**
 * Esc leaves, except while an input method is composing text (there Esc cancels the
 * composition, and leaving would throw the person's words away by surprise).
 */
export function isQuickExitKey(event: Pick<KeyboardEvent, 'key' | 'isComposing'>): boolean {
  return event.key === 'Escape' && !event.isComposing;
}

/** Listens for Esc on the whole page (capture phase, so no widget can swallow it first). */
export function installQuickExitKey(win: Window): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (isQuickExitKey(event)) {
      event.preventDefault();
      quickExit(win);
    }
  };
  win.addEventListener('keydown', onKeyDown, { capture: true });
  return () => win.removeEventListener('keydown', onKeyDown, { capture: true });
}
