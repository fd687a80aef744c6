import type { MantineColorScheme, MantineColorSchemeManager } from '@mantine/core';

/**
 * Mantine's default manager remembers the colour scheme in localStorage. The dashboard keeps
 * nothing in browser storage, so the choice lives in memory for the life of the tab.
 */
export function memoryColorSchemeManager(): MantineColorSchemeManager {
  let current: MantineColorScheme | undefined;
  return {
    get: (defaultValue) => current ?? defaultValue,
    set: (value) => {
      current = value;
    },
    subscribe: () => undefined,
    unsubscribe: () => undefined,
    clear: () => {
      current = undefined;
    },
  };
}
