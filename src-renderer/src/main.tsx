import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientProvider } from './api/client-context';
import { connectContract } from './api/contract-client';
import { forgetPageToken, pageToken } from './api/page-token';
import { App } from './app';
import { followServices } from './state/services-store';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

// A tab opened without the printed URL (or a copied address), or whose key the host stopped
// taking (a later `provisioning ui` has a new one), has no way in: say where to get one.
const noKey = (
  <p className="hint" role="alert">
    This tab has no key to the control center. Open the exact URL that <code>provisioning ui</code> printed (it ends in <code>#token=…</code>).
  </p>
);

const client = connectContract(window.provisioning ? undefined : pageToken(), () => {
  forgetPageToken();
  root.render(<StrictMode>{noKey}</StrictMode>);
});
if (client) followServices(client);

root.render(
  <StrictMode>
    {client ? (
      <ClientProvider client={client}>
        <App />
      </ClientProvider>
    ) : (
      noKey
    )}
  </StrictMode>,
);
