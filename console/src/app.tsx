import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ConsoleConfig } from '../../shared/console/console-config';
import { call, describeFailure, whenUnauthorized, type ApiResult } from './api/client';
import { AnyJson, EasyAuthMe } from './api/schemas';
import { KeyForm } from './components/key-form';
import { ConsoleContextValue, type ConsoleContext } from './context';
import { DeadLettersPage } from './pages/dead-letters';
import { HoldsPage } from './pages/holds';
import { LocalPage } from './pages/local';
import { PeoplePage } from './pages/people';
import { PersonPage } from './pages/person';
import { ReportPage } from './pages/report';
import { RunsPage } from './pages/runs';
import { useRoute } from './router';
import type { Route } from './routes';

/** Path of the app's HTTP API: the console is served at {prefix}/console/, so the API is {prefix}. */
const API_BASE = location.pathname.replace(/\/console(\/[^/]*)?$/, '');

/** App Service Authentication's role claim (Entra app roles), short or long form. */
const ROLE_CLAIMS = new Set(['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role']);

interface Identity {
  name: string | null;
  canAct: boolean;
}

/**
 * Who is signed in, in Azure: App Service Authentication's /.auth/me
 * (https://learn.microsoft.com/azure/app-service/configure-authentication-oauth-tokens). Readers (JML.Reader) see
 * the actions disabled; the API refuses them anyway. Without Easy Auth (a function key) the API decides alone.
 */
async function identity(config: ConsoleConfig): Promise<Identity> {
  if (config.mode === 'local') return { name: null, canAct: true };
  const me = await call('/.auth/me', EasyAuthMe);
  if (me.kind !== 'ok' || !me.data[0]) return { name: null, canAct: true };
  const claims = me.data[0].user_claims ?? [];
  const roles = claims.filter((c) => ROLE_CLAIMS.has(c.typ)).map((c) => c.val);
  return { name: me.data[0].user_id ?? null, canAct: roles.includes('JML.Admin') };
}

/** Pages that exist only when the admin API serves their route (SCIM targets and licences land later). */
const OPTIONAL_PAGES = [
  { page: 'scim', path: '/ops/scim/targets', label: 'SCIM targets' },
  { page: 'licences', path: '/ops/licences/report', label: 'Licences' },
] as const;

export function App() {
  const [config, setConfig] = useState<ApiResult<ConsoleConfig> | null>(null);
  useEffect(() => {
    void call(new URL('config.json', location.href).pathname, ConsoleConfig).then(setConfig);
  }, []);
  if (!config) return <p class="loading">Loading the entra-jml console…</p>;
  if (config.kind !== 'ok')
    return (
      <main class="main">
        <h1>entra-jml console</h1>
        <p class="error" role="alert">
          The console could not read its settings: {describeFailure(config)}
        </p>
      </main>
    );
  return <Shell config={config.data} />;
}

function Shell(props: { config: ConsoleConfig }) {
  const { config } = props;
  const route = useRoute();
  const [who, setWho] = useState<Identity>({ name: null, canAct: true });
  const [needKey, setNeedKey] = useState(false);
  const [needSignIn, setNeedSignIn] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [message, setMessage] = useState('');
  const [optional, setOptional] = useState<string[]>([]);

  useEffect(() => {
    whenUnauthorized(() => (config.mode === 'local' ? setNeedKey(true) : setNeedSignIn(true)));
    void identity(config).then(setWho);
    // One cheap admin call up front, so the key is asked for at once rather than by whichever page needs it first.
    void call(`${API_BASE}/ops/audit?limit=1`, AnyJson);
  }, [config]);
  useEffect(() => {
    void Promise.all(
      OPTIONAL_PAGES.map(async (p) => ((await call(`${API_BASE}${p.path}`, AnyJson)).kind === 'ok' ? p.page : null)),
    ).then((pages) => setOptional(pages.filter((p): p is (typeof OPTIONAL_PAGES)[number]['page'] => !!p)));
  }, [generation]);

  // A new page moves focus to its heading, so keyboard and screen-reader users start there.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [route]);

  const context = useMemo<ConsoleContext>(
    () => ({ config, apiBase: API_BASE, canAct: who.canAct, announce: setMessage }),
    [config, who.canAct],
  );
  const links: { page: Route['page']; label: string; hash: string }[] = [
    { page: 'people', label: 'People', hash: '#/people' },
    { page: 'runs', label: 'Runs', hash: '#/runs' },
    { page: 'dead-letters', label: 'Dead letters', hash: '#/dead-letters' },
    { page: 'holds', label: 'Held deletions', hash: '#/holds' },
    ...OPTIONAL_PAGES.filter((p) => optional.includes(p.page)).map((p) => ({ ...p, hash: `#/${p.page}` })),
    ...(config.mode === 'local' ? [{ page: 'local' as const, label: 'Local host', hash: '#/local' }] : []),
  ];
  const current = route.page === 'person' ? 'people' : route.page;

  return (
    <ConsoleContextValue.Provider value={context}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <p class="brand">
          entra-jml <span class="muted">console</span>
        </p>
        <nav aria-label="Console">
          <ul>
            {links.map((link) => (
              <li key={link.page}>
                <a href={link.hash} aria-current={current === link.page ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="who muted small">
          {config.mode === 'local' ? 'local host' : (who.name ?? 'Azure')}
          {!who.canAct && ' · read only'}
        </p>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {needKey && (
          <KeyForm
            onSaved={() => {
              setNeedKey(false);
              setGeneration((g) => g + 1);
              setMessage('Admin key saved for this tab');
            }}
          />
        )}
        {needSignIn && (
          <p class="notice" role="alert">
            You are not signed in.{' '}
            <a
              href={`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(location.pathname + location.hash)}`}
            >
              Sign in
            </a>
          </p>
        )}
        <Page key={`${generation}`} route={route} />
      </main>
      <div class="status-bar" role="status" aria-live="polite" data-testid="status">
        {message}
      </div>
    </ConsoleContextValue.Provider>
  );
}

function Page(props: { route: Route }) {
  const { route } = props;
  switch (route.page) {
    case 'people':
      return <PeoplePage key={route.query} query={route.query} />;
    case 'person':
      return <PersonPage key={route.employeeId} employeeId={route.employeeId} />;
    case 'runs':
      return <RunsPage status={route.status} />;
    case 'dead-letters':
      return <DeadLettersPage />;
    case 'holds':
      return <HoldsPage />;
    case 'scim':
      return (
        <ReportPage
          title="SCIM targets"
          path="/ops/scim/targets"
          intro="Each downstream SCIM app: health, quarantine, backlog and its last errors."
        />
      );
    case 'licences':
      return (
        <ReportPage
          title="Licences"
          path="/ops/licences/report"
          intro="Licence use against what the policy grants, and assignment errors."
        />
      );
    case 'local':
      return <LocalPage />;
  }
}
