// This device's theme on <html> before anything renders (docs/decisions/155-profiles.md): no flash of another one.
import { startTheme } from './ui/theme-choice';
// The theme and base styles first, so component styles come later in the cascade.
import './ui/theme.css';
import './ui/base.css';
import './ui/theme-light.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './notifications/service-worker';

startTheme();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

registerServiceWorker();
