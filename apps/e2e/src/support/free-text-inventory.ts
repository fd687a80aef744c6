/**
 * Every free-text input of the dashboard (apps/web) and the intake page (apps/intake), read
 * from their sources, so that the canary scan (canary-scan.e2e.ts) can fail when a field
 * appears that it neither types a canary into nor explains away.
 *
 * An input is a JSX element `<TextInput`, `<Textarea`, `<TagsInput`, `<PasswordInput`,
 * `<Autocomplete`, `<JsonInput`, `<textarea`, or `<input` whose `type` is text-like (absent,
 * text, search, email, tel, url, password); `hidden` or `readOnly` inputs and `type="date"` are
 * not free text. Choice components (`Select`, checkboxes, radios) are not free text either: what
 * they send is one of the listed values.
 *
 * Each input is named `<app>/<file name>:<id>`, where id is the first of: the translation key of
 * `label={t('…')}`, the field of `id={fieldId('…')}`, a literal `id="…"`, the translation key
 * of `aria-label={t('…')}`, a literal `name="…"`; an input without any of them is `#<n>`
 * (its position in the file), which is deliberately awkward: give it a label.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const WORKSPACE = join(__dirname, '..', '..', '..', '..');
const APPS = ['web', 'intake'] as const;

const COMPONENTS =
  /<(TextInput|Textarea|TagsInput|PasswordInput|Autocomplete|JsonInput|textarea|input)\b/g;
const TEXT_TYPES = new Set(['text', 'search', 'email', 'tel', 'url', 'password']);

function tsxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsxFiles(path));
    else if (/\.tsx$/.test(entry.name) && !/\.spec\.tsx$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** The element's opening tag from `start` (at `<`) to its closing `>` outside braces and quotes. */
function openingTag(source: string, start: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === quote && source[i - 1] !== '\\') quote = null;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
    } else if (c === '>' && depth === 0) {
      return source.slice(start, i + 1);
    }
  }
  throw new Error(`unterminated JSX element at ${start}`);
}

function isFreeText(component: string, tag: string): boolean {
  if (/\s(hidden|readOnly)(\s|=\{true\}|\/?>)/.test(tag)) return false;
  const type = /\stype="([^"]+)"/.exec(tag)?.[1];
  if (component === 'input') return type === undefined || TEXT_TYPES.has(type);
  if (component === 'TextInput') return type === undefined || TEXT_TYPES.has(type);
  return true;
}

function idOf(tag: string): string | undefined {
  const patterns = [
    /\slabel=\{t\('([^']+)'/,
    /\sid=\{fieldId\('([^']+)'\)\}/,
    /\sid="([^"]+)"/,
    /\saria-label=\{t\('([^']+)'/,
    /\sname="([^"]+)"/,
  ];
  for (const p of patterns) {
    const m = p.exec(tag);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

/** Sorted names of every free-text input in the two front ends. */
export function freeTextInputs(): string[] {
  const names: string[] = [];
  for (const app of APPS) {
    for (const file of tsxFiles(join(WORKSPACE, 'apps', app, 'src'))) {
      const source = readFileSync(file, 'utf8');
      let n = 0;
      for (const match of source.matchAll(COMPONENTS)) {
        const component = match[1] ?? '';
        const tag = openingTag(source, match.index ?? 0);
        if (!isFreeText(component, tag)) continue;
        n++;
        names.push(`${app}/${basename(file)}:${idOf(tag) ?? `#${n}`}`);
      }
    }
  }
  return names.sort();
}
