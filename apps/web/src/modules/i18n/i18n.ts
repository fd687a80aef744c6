import { createInstance, type BackendModule, type i18n, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from './utils/languages';

/**
 * Each language's strings are a chunk of their own, fetched when the language is first used:
 * the sign-in route pays for one language, not all of them (the budget is 200 KB gzip).
 */
function loadLanguage(language: string): Promise<ResourceKey> {
  switch (language) {
    case 'ru':
      return import('../../locales/ru.json').then((m) => m.default);
    case 'en':
      return import('../../locales/en.json').then((m) => m.default);
    default:
      return Promise.reject(new Error(`no strings for language ${language}`));
  }
}

const bundledLanguages: BackendModule = {
  type: 'backend',
  init() {
    /* nothing to configure */
  },
  read(language, _namespace, callback) {
    loadLanguage(language).then(
      (strings) => callback(null, strings),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

/**
 * One i18next instance per app start. Resolves once the language's strings are loaded, so the
 * first render is already in the right language. Switching language loads the other language's
 * strings first and then re-renders. There is no fallback language: a test keeps every
 * language's keys identical, and a fallback would make every page load a second language.
 */
export async function createI18n(language: Language): Promise<i18n> {
  const instance = createInstance();
  await instance
    .use(bundledLanguages)
    .use(initReactI18next)
    .init({
      lng: language,
      fallbackLng: false,
      supportedLngs: LANGUAGES,
      // React escapes text itself.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return instance;
}

/** Keeps <html lang> in step with the UI language (screen readers choose their voice by it). */
export function bindDocumentLanguage(instance: i18n, root: HTMLElement): void {
  const apply = (lng: string) => {
    root.lang = lng;
  };
  apply(instance.language);
  instance.on('languageChanged', apply);
}
