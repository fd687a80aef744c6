import { detectLanguage, isLanguage } from './languages';

describe('detectLanguage', () => {
  it.each(['ru', 'ru-RU', 'ru-ua', 'RU', 'ru_RU', ' ru-BY '])('picks Russian for %p', (tag) => {
    expect(detectLanguage(tag)).toBe('ru');
  });

  it.each(['en', 'en-GB', 'de-DE', 'uk-UA', 'rus', 'r', ''])(
    'falls back to English for %p',
    (tag) => {
      expect(detectLanguage(tag)).toBe('en');
    },
  );

  it('falls back to English when the browser gives no language', () => {
    expect(detectLanguage(undefined)).toBe('en');
    expect(detectLanguage(null)).toBe('en');
  });
});

describe('isLanguage', () => {
  it('accepts only shipped language codes', () => {
    expect(isLanguage('en')).toBe(true);
    expect(isLanguage('ru')).toBe(true);
    expect(isLanguage('ru-RU')).toBe(false);
    expect(isLanguage('de')).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
