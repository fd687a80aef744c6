import type { AuditCheckpointBook } from '@haven/contracts';
import { useSyncExternalStore } from 'react';

/**
 * The auditor's checkpoints for this page's lifetime: in memory only (not localStorage or
 * IndexedDB), kept across the audit pages while the tab lives. They leave the browser only as
 * the file the auditor downloads.
 */
let book: AuditCheckpointBook | null = null;
const listeners = new Set<() => void>();

export const checkpointStore = {
  get: (): AuditCheckpointBook | null => book,
  set: (next: AuditCheckpointBook | null): void => {
    book = next;
    for (const listener of listeners) listener();
  },
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

export function useCheckpointBook(): AuditCheckpointBook | null {
  return useSyncExternalStore(checkpointStore.subscribe, checkpointStore.get);
}
