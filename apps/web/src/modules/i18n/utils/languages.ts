/** The languages the dashboard ships in. Adding one means adding src/locales/<code>.json. */
export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/**
 * Each language is offered under its own name (an endonym), so someone who cannot read the
 * current language can still find theirs; these names are therefore not translated.
 */
export const LANGUAGE_ENDONYMS: Readonly<Record<Language, string>> = {
  en: 'English',
  ru: 'Русский',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Picks the starting language from the browser's preferred language tag (navigator.language):
 * any Russian tag (ru, ru-RU, ru-UA…) gives Russian, anything else English. The choice is
 * never stored, so nothing on the device records which language a visitor used.
 */
export function detectLanguage(browserLanguage: string | undefined | null): Language {
  const primary = (browserLanguage ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : DEFAULT_LANGUAGE;
}
