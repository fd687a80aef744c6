import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * System fonts only (no web fonts: nothing is fetched from anywhere but our origin), and
 * shades chosen for WCAG AA contrast (4.5:1 for text). Mantine's default primary blue-6 gives
 * 3.6:1 against white; blue-9 gives 6.1:1 on white and 5.3:1 as the text of an active menu
 * entry on its tinted background (blue-8 would fall just short there, 4.4:1). The default
 * "dimmed" grey (3.3:1) is darkened to gray-7 (8.2:1).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 8 },
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontFamilyMonospace:
    'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace',
  focusRing: 'auto',
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
  },
});
