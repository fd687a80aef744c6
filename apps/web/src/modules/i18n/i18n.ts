import { createInstance, type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../../locales/en.json';
import ru from '../../locales/ru.json';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './utils/languages';

export const resources = {
  en: { translation: en },
  ru: { translation: ru },
} as const;

/**
 * One i18next instance per app start. The resources are bundled, so initialisation is
 * synchronous and the first render is already in the right language.
 */
export function createI18n(language: Language): i18n {
  const instance = createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGES,
    initAsync: false,
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
