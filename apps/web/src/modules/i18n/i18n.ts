import { createInstance, type BackendModule, type i18n, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from './utils/languages';

/**
 * Each language's strings are chunks of their own, fetched when first used. The sign-in route
 * loads one language, and of it only the shell's sections (utils/shell-sections.ts); the rest
 * comes with the first lazily loaded page (`loadAllStrings`). The budget is 200 KB gzip.
 */
function loadStrings(language: string, part: 'shell' | 'all'): Promise<ResourceKey> {
  const loaded =
    language === 'ru'
      ? part === 'shell'
        ? import('../../locales/ru.json?shell')
        : import('../../locales/ru.json')
      : language === 'en'
        ? part === 'shell'
          ? import('../../locales/en.json?shell')
          : import('../../locales/en.json')
        : Promise.reject(new Error(`no strings for language ${language}`));
  return loaded.then((m) => m.default as ResourceKey);
}

/** Whether pages beyond the shell have been asked for: from then on, languages load whole. */
let wantAll = false;
let instanceInUse: i18n | undefined;
let allLoaded: Promise<void> | undefined;
/** Languages whose every section is in the store. */
const whole = new Set<string>();

async function addAllStrings(instance: i18n, language: string): Promise<void> {
  if (whole.has(language)) return;
  instance.addResourceBundle(
    language,
    'translation',
    await loadStrings(language, 'all'),
    true,
    true,
  );
  whole.add(language);
}

const bundledStrings: BackendModule = {
  type: 'backend',
  init() {
    /* nothing to configure */
  },
  read(language, _namespace, callback) {
    const part = wantAll ? 'all' : 'shell';
    loadStrings(language, part).then(
      (strings) => {
        if (part === 'all') whole.add(language);
        callback(null, strings);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

/**
 * One i18next instance per app start. Resolves once the language's shell strings are loaded,
 * so the first render is already in the right language. Switching language loads the other
 * language's strings first and then re-renders. There is no fallback language: a test keeps
 * every language's keys identical, and a fallback would make every page load a second language.
 */
export async function createI18n(language: Language): Promise<i18n> {
  const instance = createInstance();
  instanceInUse = instance;
  wantAll = false;
  allLoaded = undefined;
  whole.clear();
  // A language chosen while its shell strings were still loading gets the rest on arrival.
  instance.on('languageChanged', (language) => {
    if (wantAll) void addAllStrings(instance, language);
  });
  await instance
    .use(bundledStrings)
    .use(initReactI18next)
    .init({
      lng: language,
      fallbackLng: false,
      supportedLngs: LANGUAGES,
      // React escapes text itself.
      interpolation: { escapeValue: false },
      returnNull: false,
      // Re-render when the rest of a language's strings are added.
      react: { bindI18nStore: 'added' },
    });
  return instance;
}

/**
 * Loads every section of the languages in use (and makes later languages load whole). Lazily
 * loaded pages await this before they render; it runs once per app start.
 */
export function loadAllStrings(): Promise<void> {
  const instance = instanceInUse;
  if (!instance) return Promise.resolve();
  wantAll = true;
  allLoaded ??= Promise.all(
    Object.keys(instance.store.data).map((language) => addAllStrings(instance, language)),
  ).then(() => undefined);
  return allLoaded;
}

/** Keeps <html lang> in step with the UI language (screen readers choose their voice by it). */
export function bindDocumentLanguage(instance: i18n, root: HTMLElement): void {
  const apply = (lng: string) => {
    root.lang = lng;
  };
  apply(instance.language);
  instance.on('languageChanged', apply);
}
