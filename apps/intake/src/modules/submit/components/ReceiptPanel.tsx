import { useEffect, useRef } from 'react';
import type { Translate } from '../../../i18n';

interface Props {
  /** The receipt code; shown here once and held nowhere else. */
  code: string;
  t: Translate;
  onDone: () => void;
}

/**
 * The receipt code, shown once, with plain advice. No copy button: a clipboard (and its
 * history) is one more place on a watched phone where the code would stay.
 */
export function ReceiptPanel({ code, t, onDone }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const words = code.split(' ');

  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title" tabIndex={-1} ref={headingRef}>
        {t('receipt.title')}
      </h2>
      <p>{t('receipt.intro')}</p>
      <figure className="receipt-code">
        <figcaption id="receipt-code-label">{t('receipt.codeLabel')}</figcaption>
        <p className="receipt-words" aria-labelledby="receipt-code-label" translate="no" lang="en">
          {words.map((word, i) => (
            <span key={`${i}-${word}`} className="receipt-word">
              {word}
              {i < words.length - 1 ? ' ' : ''}
            </span>
          ))}
        </p>
      </figure>
      <h3>{t('receipt.adviceTitle')}</h3>
      <ul className="advice">
        <li>{t('receipt.writeDown')}</li>
        <li>{t('receipt.noScreenshot')}</li>
        <li>{t('receipt.anyone')}</li>
        <li>{t('receipt.comeBack')}</li>
      </ul>
      <button type="button" className="primary" onClick={onDone}>
        {t('receipt.done')}
      </button>
    </section>
  );
}
