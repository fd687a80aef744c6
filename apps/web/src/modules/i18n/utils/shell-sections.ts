/**
 * The top-level sections of src/locales/<language>.json that the sign-in route and the shell
 * (layout, menu, sign-in, lock screen, error and coming-soon pages) use. Only these are loaded
 * with the first page; every other section arrives with the first lazily loaded page. A
 * component in the shell that uses a key from another section shows the key until then, so a
 * new shell string belongs in one of these sections. Read by the Vite build too
 * (`<language>.json?shell`, see vite.config.ts), so this file imports nothing.
 */
export const SHELL_SECTIONS = [
  'app',
  'shell',
  'language',
  'nav',
  'pages',
  'status',
  'common',
  'roles',
  'auth',
  'lock',
  'errors',
] as const;
