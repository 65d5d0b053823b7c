import { useState } from 'preact/hooks';

export function SignIn(props: { error?: string; onSignIn: (token: string) => Promise<void> }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" class="signin">
      <h1>realmgate console</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          await props.onSignIn(token.trim());
          setBusy(false);
        }}
      >
        <label for="token">Token</label>
        <p id="token-help" class="hint">
          The admin token, or a realm token (<code>rgt_…</code>). It is kept in this tab only, until you sign out or close it.
        </p>
        <input id="token" name="token" type="password" autoComplete="off" required aria-describedby="token-help" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
        {props.error && (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
      </form>
    </main>
  );
}
