import { useSearch } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { logIn, queryClient } from "../../app/api.js";

/** Where to go after logging in: only a path on this site, never another origin. */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** Logs in with a user name and password, or with an API key (the first-start admin has only a key). */
export function LoginPage() {
  const { next } = useSearch({ from: "/login" });
  const [mode, setMode] = useState<"password" | "apiKey">("password");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await logIn(mode === "apiKey" ? { apiKey: String(form.get("apiKey")).trim() } : { username: String(form.get("username")), password: String(form.get("password")) });
      queryClient.clear();
      window.location.assign(safeNext(next));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <h1>Log in to Gantry</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? "login-error" : undefined}>
        {mode === "password" ? (
          <>
            <label htmlFor="username">User name</label>
            <input id="username" name="username" autoComplete="username" required autoFocus />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </>
        ) : (
          <>
            <label htmlFor="apiKey">API key</label>
            <input id="apiKey" name="apiKey" type="password" autoComplete="off" required autoFocus placeholder="gnt_…" />
          </>
        )}
        {error ? <p id="login-error" role="alert" className="error">{error}</p> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? "Logging in…" : "Log in"}</button>
          <button type="button" className="link" onClick={() => { setMode(mode === "password" ? "apiKey" : "password"); setError(null); }}>
            {mode === "password" ? "Use an API key instead" : "Use a user name and password"}
          </button>
        </div>
      </form>
    </main>
  );
}
