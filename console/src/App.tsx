import { useEffect, useRef } from 'preact/hooks';
import { route, type Route } from './router';
import { isAdmin, me, signOut } from './session';
import { Evidence } from './pages/Evidence';
import { Lead } from './pages/Lead';
import { Leads } from './pages/Leads';
import { lazy } from './lazy';
import { Settings } from './pages/Settings';
import { SignIn } from './pages/SignIn';

// Opened by few visits: loaded on demand, out of the first load.
const Model = lazy(() => import('./pages/Model').then((m) => m.Model));
const Import = lazy(() => import('./pages/Import').then((m) => m.Import));
const Accounts = lazy(() => import('./pages/Accounts').then((m) => m.Accounts));
const Account = lazy(() => import('./pages/Account').then((m) => m.Account));

const TITLES: Record<Route['page'], string> = { leads: 'Leads', lead: 'Lead', accounts: 'Accounts', account: 'Account', settings: 'Settings', evidence: 'Evidence', model: 'Model', import: 'Import', 'not-found': 'Not found' };

/** The shell: who is signed in, the navigation, and the page the hash names. */
export function App() {
  const who = me.value;
  const current = route.value;
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${who ? TITLES[current.page] : 'Sign in'} · leadscore console`;
  }, [who, current.page]);

  if (who === undefined) return <main class="page" aria-busy="true"><p>Loading…</p></main>;
  if (who === null) return <SignIn />;

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>Skip to content</a>
      <header class="bar">
        <strong class="brand">leadscore</strong>
        <nav aria-label="Console">
          <a href="#/leads" aria-current={current.page === 'leads' || current.page === 'lead' ? 'page' : undefined}>Leads</a>
          <a href="#/accounts" aria-current={current.page === 'accounts' || current.page === 'account' ? 'page' : undefined}>Accounts</a>
          <a href="#/evidence" aria-current={current.page === 'evidence' ? 'page' : undefined}>Evidence</a>
          <a href="#/model" aria-current={current.page === 'model' ? 'page' : undefined}>Model</a>
          {isAdmin() && <a href="#/import" aria-current={current.page === 'import' ? 'page' : undefined}>Import</a>}
          {isAdmin() && <a href="#/settings" aria-current={current.page === 'settings' ? 'page' : undefined}>Settings</a>}
        </nav>
        <span class="who">
          {who.workspace.name} · {who.token.label ?? who.token.id} ({who.role})
        </span>
        <button type="button" onClick={() => void signOut()}>Sign out</button>
      </header>
      <main id="main" class="page" tabIndex={-1} ref={main}>
        <Page route={current} />
      </main>
    </>
  );
}

function Page({ route: current }: { route: Route }) {
  switch (current.page) {
    case 'leads':
      return <Leads params={current.params} />;
    case 'lead':
      return <Lead id={current.id} />;
    case 'accounts':
      return <Accounts params={current.params} />;
    case 'account':
      return <Account id={current.id} />;
    case 'evidence':
      return <Evidence />;
    case 'model':
      return <Model />;
    case 'settings':
      return isAdmin() ? <Settings /> : <Forbidden title="Settings" what="manage sites and tokens" />;
    case 'import':
      return isAdmin() ? <Import /> : <Forbidden title="Import" what="import leads from a CSV file" />;
    default:
      return (
        <>
          <h1>Not found</h1>
          <p>
            There is no such page. <a href="#/leads">Back to the leads</a>
          </p>
        </>
      );
  }
}

function Forbidden({ title, what }: { title: string; what: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p>
        {title} needs an admin token. Sign in with one to {what}.
      </p>
    </>
  );
}
