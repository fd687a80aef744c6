import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './SkipLink.module.css';

/**
 * The first focusable element: jumps keyboard and screen-reader users past the header and
 * menu. It moves focus itself instead of following the #fragment, so the address bar (which
 * may hold a setup token in its fragment) is left alone.
 */
export function SkipLink({ target }: { target: RefObject<HTMLElement | null> }) {
  const { t } = useTranslation();
  return (
    <a
      className={classes.skipLink}
      href="#main-content"
      onClick={(event) => {
        event.preventDefault();
        target.current?.focus();
        target.current?.scrollIntoView();
      }}
    >
      {t('shell.skipToContent')}
    </a>
  );
}
