import { GatehouseProvider } from '@gatehouse/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import '@gatehouse/react/styles.css';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// Served by the Gatehouse server itself: the session is the server's HttpOnly cookie (cookie mode).
createRoot(root).render(
  <StrictMode>
    <GatehouseProvider>
      <App />
    </GatehouseProvider>
  </StrictMode>,
);
