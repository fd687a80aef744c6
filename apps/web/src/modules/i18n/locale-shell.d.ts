/** `../../locales/<language>.json?shell`: the sections in utils/shell-sections.ts only. */
declare module '*.json?shell' {
  const strings: Record<string, unknown>;
  export default strings;
}
