import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import './global.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { hideAppBehindModals } from './lib/modal-background';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

hideAppBehindModals(container);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
