// First: configures Zod before any schema is created (see the file).
import './app/zod-jitless';
import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/providers/query-client';
import { readStyleNonce } from './app/providers/style-nonce';
import { bindDocumentLanguage, createI18n } from './modules/i18n/i18n';
import { detectLanguage } from './modules/i18n/utils/languages';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const i18n = createI18n(detectLanguage(navigator.language));
bindDocumentLanguage(i18n, document.documentElement);

createRoot(container).render(
  <StrictMode>
    <App i18n={i18n} queryClient={createQueryClient()} styleNonce={readStyleNonce(document)} />
  </StrictMode>,
);
