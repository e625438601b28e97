import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientProvider } from './api/client-context';
import { connectContract } from './api/contract-client';
import { App } from './app';
import { followServices } from './state/services-store';
import './styles.css';

const client = connectContract();
followServices(client);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientProvider client={client}>
      <App />
    </ClientProvider>
  </StrictMode>,
);
