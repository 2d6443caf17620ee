// Entry point: pick the bridge (Electron preload or the web bridge), make the store, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { pickBridge } from './bridge';
import { createWorkerStore, StoreContext } from './store';
import './styles.css';

// The web bridge's URL carries its token once; the page's cookie carries it from here on, so
// it does not stay in the address bar, the history or a screenshot.
const url = new URL(window.location.href);
if (url.searchParams.has('token')) {
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.href);
}

const store = createWorkerStore(pickBridge(window));
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
