import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@codegouvfr/react-dsfr/main.css';
import './app/app.css';
import { startDsfr } from './dsfr';
import { App } from './app/App';

void startDsfr();
const root = document.getElementById('app');
if (!root) throw new Error('#app missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
