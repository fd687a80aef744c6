import en from './en.json';
import ru from './ru.json';

/** Flattens nested messages to "a.b.c" → text. */
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

/** Strings that are the same in every language on purpose (the product name). */
const SAME_IN_EVERY_LANGUAGE = new Set(['app.name', 'app.documentTitle']);

const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  const english = flatten(en);
  const russian = flatten(ru);

  it('have the same keys', () => {
    expect([...russian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('hold only non-empty strings', () => {
    for (const [key, text] of [...english, ...russian]) {
      expect({ key, ok: typeof text === 'string' && text.trim().length > 0 }).toEqual({
        key,
        ok: true,
      });
    }
  });

  it('are really translated, not copied', () => {
    const copied = [...english]
      .filter(([key, text]) => !SAME_IN_EVERY_LANGUAGE.has(key) && russian.get(key) === text)
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it('keep the same interpolation placeholders', () => {
    for (const [key, text] of english) {
      expect({ key, vars: placeholders(String(russian.get(key))) }).toEqual({
        key,
        vars: placeholders(String(text)),
      });
    }
  });

  it('write Russian in Cyrillic', () => {
    const latinOnly = [...russian]
      .filter(([key]) => !SAME_IN_EVERY_LANGUAGE.has(key))
      .filter(([, text]) => !/[а-яё]/i.test(String(text)))
      .map(([key]) => key);
    expect(latinOnly).toEqual([]);
  });
});
