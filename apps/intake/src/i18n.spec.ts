import { detectLanguage, translate } from './i18n';
import en from './locales/en.json';
import ru from './locales/ru.json';

function flatten(tree: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of flatten(value as object, path)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

describe('detectLanguage', () => {
  it.each(['ru', 'ru-RU', 'RU-by', 'ru_UA'])('picks Russian for %p', (tag) => {
    expect(detectLanguage(tag)).toBe('ru');
  });

  it.each(['en-US', 'uk', 'de', '', undefined, null])('falls back to English for %p', (tag) => {
    expect(detectLanguage(tag)).toBe('en');
  });
});

describe('translate', () => {
  it('looks up nested keys in the chosen language', () => {
    expect(translate('en', 'quickExit.button')).toBe('Quick exit');
    expect(translate('ru', 'quickExit.button')).toBe('Быстрый выход');
  });
});

describe('locales', () => {
  const english = flatten(en);
  const russian = flatten(ru);

  it('have the same keys', () => {
    expect([...russian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('are really translated (only the product name is shared)', () => {
    const copied = [...english]
      .filter(([key, text]) => key !== 'documentTitle' && russian.get(key) === text)
      .map(([key]) => key);
    expect(copied).toEqual([]);
    for (const [key, text] of russian) {
      if (key !== 'documentTitle')
        expect({ key, cyrillic: /[а-яё]/i.test(String(text)) }).toEqual({ key, cyrillic: true });
    }
  });
});

describe('placeholders', () => {
  it('fills {name} placeholders and leaves unknown ones', () => {
    expect(translate('en', 'replies.fromStaff', { date: '5 May 2026' })).toBe(
      'Reply from the hotline, 5 May 2026',
    );
    expect(translate('en', 'replies.fromStaff')).toContain('{date}');
  });

  it('uses the same placeholders in both languages', () => {
    const english = flatten(en);
    const russian = flatten(ru);
    for (const [key, text] of english) {
      const names = (t: unknown) => (String(t).match(/\{[a-zA-Z]+\}/g) ?? []).sort();
      expect({ key, names: names(russian.get(key)) }).toEqual({ key, names: names(text) });
    }
  });
});
