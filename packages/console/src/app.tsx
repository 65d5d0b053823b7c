import { useEffect, useState } from 'preact/hooks';
import { describeError } from './format';
import { Link, navigate, useRoute } from './route';
import { signIn, signOut, storedToken, type Session } from './session';
import { RealmView } from './views/RealmView';
import { Realms } from './views/Realms';
import { SignIn } from './views/SignIn';

export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const [restoring, setRestoring] = useState(() => storedToken() !== null);
  const [error, setError] = useState<string | undefined>();
  const route = useRoute();

  useEffect(() => {
    const token = storedToken();
    if (token === null) return;
    signIn(token).then(setSession, (err) => {
      signOut();
      setError(describeError(err));
    }).finally(() => setRestoring(false));
  }, []);

  if (restoring) return <p class="loading" role="status">Signing in…</p>;
  if (!session) {
    return (
      <SignIn
        error={error}
        onSignIn={async (token) => {
          try {
            setSession(await signIn(token));
            setError(undefined);
            if (!route.realm) navigate({});
          } catch (err) {
            setError(describeError(err));
          }
        }}
      />
    );
  }
  const { reach } = session;
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <Link to={{}} class="brand">realmgate console</Link>
        <span class="who" data-testid="who">
          {reach.kind === 'admin' ? 'admin token' : `${reach.name ?? 'realm token'} · realm ${reach.realm}`} · {reach.scopes.join(', ')}
        </span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            signOut();
            setSession(undefined);
            navigate({});
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.realm ? <RealmView session={session} realm={route.realm} tab={route.tab ?? 'orgs'} /> : <Realms session={session} />}
      </main>
    </>
  );
}
