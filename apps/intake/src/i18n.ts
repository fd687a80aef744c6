/**
 * A few lines of typed lookup instead of an i18n library: the public page has a handful of
 * fixed strings and should stay small for people on slow or watched connections. The message
 * files have the same nested JSON shape as the dashboard's.
 */
import en from './locales/en.json';
import ru from './locales/ru.json';

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language is offered under its own name, so it can be found without reading the page. */
export const LANGUAGE_ENDONYMS: Readonly<Record<Language, string>> = {
  en: 'English',
  ru: 'Русский',
};

type Messages = typeof en;

/** "a.b" for every string leaf of the message tree. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Messages>;

const catalogue: Readonly<Record<Language, Messages>> = { en, ru };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Russian for any Russian browser language tag, English otherwise; never stored. */
export function detectLanguage(browserLanguage: string | undefined | null): Language {
  const primary = (browserLanguage ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(primary) ? primary : 'en';
}

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * The message in the given language, falling back to English, then to the key itself.
 * `{name}` placeholders are replaced from `values`.
 */
export function translate(
  language: Language,
  key: MessageKey,
  values?: Readonly<Record<string, string>>,
): string {
  const text = lookup(catalogue[language], key) ?? lookup(catalogue.en, key) ?? key;
  if (!values) return text;
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** `translate` bound to the current language, as components receive it. */
export type Translate = (key: MessageKey, values?: Readonly<Record<string, string>>) => string;

/** A day (`YYYY-MM-DD`) written out in the page's language, e.g. "5 May 2026" / "5 мая 2026 г.". */
export function formatDay(language: Language, day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
