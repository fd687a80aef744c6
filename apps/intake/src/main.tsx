import './intake.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installQuickExitKey } from './quick-exit';

// Esc works as soon as the script runs, independent of React rendering.
installQuickExitKey(window);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
