import { useEffect, useState } from 'react';
import { currentSession, saveSession, whenLoggedOut, type Session } from './api/client';
import { href, navigate, useRoute } from './lib/route';
import { Approvals } from './pages/Approvals';
import { CasePage } from './pages/CasePage';
import { Dashboard } from './pages/Dashboard';
import { Login } from './pages/Login';
import { Queue } from './pages/Queue';

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(currentSession);

  useEffect(() => whenLoggedOut(() => setSession(null)), []);

  if (session === null)
    return (
      <Login
        onLogin={(next) => {
          saveSession(next);
          setSession(next);
          if (route.page === 'login') navigate({ page: 'queue' });
        }}
      />
    );

  const supervisor = session.user.role !== 'analyst';
  return (
    <div className="app">
      <header className="top">
        <span className="brand">Argus</span>
        <nav>
          <a href={href({ page: 'queue' })} className={route.page === 'queue' ? 'active' : ''}>
            Queue
          </a>
          {supervisor && (
            <a href={href({ page: 'approvals' })} className={route.page === 'approvals' ? 'active' : ''}>
              Approvals
            </a>
          )}
          <a href={href({ page: 'dashboard' })} className={route.page === 'dashboard' ? 'active' : ''}>
            Dashboard
          </a>
        </nav>
        <span className="who" data-testid="who">
          {session.user.name} · {session.user.role}
          <button
            className="link"
            onClick={() => {
              saveSession(null);
              setSession(null);
            }}
          >
            Log out
          </button>
        </span>
      </header>
      <main>
        {route.page === 'case' ? (
          <CasePage id={route.id} user={session.user} />
        ) : route.page === 'approvals' ? (
          <Approvals />
        ) : route.page === 'dashboard' ? (
          <Dashboard />
        ) : (
          <Queue user={session.user} />
        )}
      </main>
    </div>
  );
}
