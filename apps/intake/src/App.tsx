import { useEffect, useState } from 'react';
import { LANGUAGES, LANGUAGE_ENDONYMS, detectLanguage, translate, type MessageKey } from './i18n';
import { quickExit } from './quick-exit';

export function App() {
  // Starts from the browser's language; the choice is kept in memory only.
  const [language, setLanguage] = useState(() => detectLanguage(navigator.language));
  const t = (key: MessageKey) => translate(language, key);

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
        <p className="form-placeholder">{t('form.comingSoon')}</p>
      </main>
    </div>
  );
}
