// The window: a skip link, the page navigation, the connection banner and the current page.
// Pages follow the URL hash; after a page change, focus moves to the new page's heading.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { AboutPage } from './pages/AboutPage';
import { JobsPage } from './pages/JobsPage';
import { LogsPage } from './pages/LogsPage';
import { SettingsPage } from './pages/SettingsPage';
import { StatusPage } from './pages/StatusPage';
import type { Route } from './routes';
import { hrefOf, PAGES, routeOf } from './routes';
import { changedKeys, formOf } from './settings-form';
import { useWorker } from './store';

function subscribeHash(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return routeOf(hash);
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'status':
      return <StatusPage />;
    case 'jobs':
      return <JobsPage jobId={route.jobId} />;
    case 'logs':
      return <LogsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'about':
      return <AboutPage />;
  }
}

function ConnectionBanner() {
  const connection = useWorker((s) => s.connection);
  const hasSnapshot = useWorker((s) => s.snapshot !== null);
  if (connection === 'lost') {
    return (
      <p className="banner banner-error" role="alert">
        Lost the connection to the worker. If it was restarted, open the new address it printed.
      </p>
    );
  }
  if (connection === 'connecting' && hasSnapshot) {
    return (
      <p className="banner" role="status">
        Reconnecting to the worker… what you see may be out of date.
      </p>
    );
  }
  return null;
}

export function App() {
  const route = useRoute();
  const snapshot = useWorker((s) => s.snapshot);
  const edits = useWorker((s) => s.settingsEdits);
  const unsaved =
    snapshot !== null &&
    changedKeys({ ...formOf(snapshot.settings), ...edits }, snapshot.settings).length > 0;
  const mainRef = useRef<HTMLElement>(null);
  const routeKey = hrefOf(route);
  const firstRoute = useRef(routeKey);

  useEffect(() => {
    if (routeKey === firstRoute.current) return;
    firstRoute.current = '';
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    (heading ?? mainRef.current)?.focus();
  }, [routeKey]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Studio Worker</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <a
                  href={hrefOf({ page: p.id })}
                  aria-current={route.page === p.id ? 'page' : undefined}
                >
                  {p.title}
                  {p.id === 'settings' && unsaved ? (
                    <span className="unsaved-dot">
                      <span aria-hidden="true"> •</span>
                      <span className="visually-hidden"> (unsaved changes)</span>
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <ConnectionBanner />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {snapshot ? (
          <Page route={route} />
        ) : (
          <p className="card" role="status">
            Connecting to the worker…
          </p>
        )}
      </main>
    </div>
  );
}
