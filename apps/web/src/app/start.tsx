import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bindDocumentLanguage, createI18n } from '../modules/i18n/i18n';
import { detectLanguage } from '../modules/i18n/utils/languages';
import { App } from './App';
import { applyStyleNonce, readStyleNonce } from './providers/style-nonce';

/**
 * Renders the dashboard into #root (loaded by main.tsx once Zod is configured), once the
 * language's strings are in.
 */
export async function start(container: HTMLElement): Promise<void> {
  const i18n = await createI18n(detectLanguage(navigator.language));
  bindDocumentLanguage(i18n, document.documentElement);
  const styleNonce = readStyleNonce(document);
  applyStyleNonce(styleNonce);
  createRoot(container).render(
    <StrictMode>
      <App i18n={i18n} styleNonce={styleNonce} />
    </StrictMode>,
  );
}
