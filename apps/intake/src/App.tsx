import { useEffect, useState } from 'react';
import {
  LANGUAGES,
  LANGUAGE_ENDONYMS,
  detectLanguage,
  translate,
  type MessageKey,
  type Translate,
} from './i18n';
import { createRootTrust } from './modules/crypto/intake-crypto';
import { RepliesView } from './modules/replies/components/RepliesView';
import { IntakeForm } from './modules/submit/components/IntakeForm';
import { ReceiptPanel } from './modules/submit/components/ReceiptPanel';
import { quickExit } from './quick-exit';

/**
 * One page, one address: the views switch in memory, never through the URL or history, so
 * the browser keeps no trace of where the person went and quick exit replaces the only entry.
 */
type View = { name: 'write' } | { name: 'receipt'; code: string } | { name: 'replies' };

/** The root fingerprint pinned at build time, if any (docs/intake.md, "Pinning"). */
const PINNED_ROOT = import.meta.env.VITE_HAVEN_ROOT_FINGERPRINT;

export function App() {
  // Starts from the browser's language; the choice is kept in memory only.
  const [language, setLanguage] = useState(() => detectLanguage(navigator.language));
  const [view, setView] = useState<View>({ name: 'write' });
  // Trust in the organisation root for this page load (pinned, or first use).
  const [trust] = useState(() => createRootTrust(PINNED_ROOT));
  const t: Translate = (key: MessageKey, values) => translate(language, key, values);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = translate(language, 'documentTitle');
  }, [language]);

  return (
    <div className="page">
      <header className="top-bar">
        {/* First in the tab order: one key press away from leaving. */}
        <button type="button" className="quick-exit" onClick={() => quickExit(window)}>
          {t('quickExit.button')}
        </button>
        <div className="language-switch" role="group" aria-label={t('language.label')}>
          {LANGUAGES.map((code) => (
            <button
              key={code}
              type="button"
              lang={code}
              aria-pressed={code === language}
              onClick={() => setLanguage(code)}
            >
              {LANGUAGE_ENDONYMS[code]}
            </button>
          ))}
        </div>
      </header>
      <main className="content">
        <h1>{t('title')}</h1>
        <p className="intro">{t('intro')}</p>
        <section className="safety" aria-labelledby="safety-title">
          <h2 id="safety-title">{t('safety.title')}</h2>
          <ul>
            <li>{t('safety.privateWindow')}</li>
            <li>{t('safety.nothingKept')}</li>
            <li>{t('safety.leave')}</li>
          </ul>
        </section>
        <nav className="views" aria-label={t('nav.label')}>
          <button
            type="button"
            aria-pressed={view.name !== 'replies'}
            onClick={() => setView({ name: 'write' })}
          >
            {t('nav.write')}
          </button>
          <button
            type="button"
            aria-pressed={view.name === 'replies'}
            onClick={() => setView({ name: 'replies' })}
          >
            {t('nav.replies')}
          </button>
        </nav>
        {view.name === 'write' && (
          <IntakeForm
            language={language}
            t={t}
            trust={trust}
            onSent={(code) => setView({ name: 'receipt', code })}
          />
        )}
        {view.name === 'receipt' && (
          <ReceiptPanel code={view.code} t={t} onDone={() => setView({ name: 'write' })} />
        )}
        {view.name === 'replies' && <RepliesView language={language} t={t} trust={trust} />}
      </main>
    </div>
  );
}
