import { useQuery } from "@tanstack/react-query";
import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { logOut, meQuery } from "./api.js";

const nav = [
  { to: "/", label: "Overview" },
  { to: "/stacks", label: "Stacks" },
  { to: "/dependencies", label: "Dependencies" },
  { to: "/spaces", label: "Spaces" },
  { to: "/contexts", label: "Contexts" },
  { to: "/policies", label: "Policies" },
  { to: "/modules", label: "Modules" },
  { to: "/providers", label: "Providers" },
  { to: "/worker-pools", label: "Worker pools" },
  { to: "/integrations", label: "Integrations" },
  { to: "/notifications", label: "Notifications" },
  { to: "/audit", label: "Audit trail" },
  { to: "/admin", label: "Users" },
  { to: "/api-keys", label: "API keys" },
] as const;

/** The frame of every page but the login page: a skip link, the navigation and who is signed in. */
export function Shell() {
  const path = useRouterState({ select: (s) => s.location.pathname });
  const me = useQuery({ ...meQuery(), enabled: path !== "/login" });
  if (path === "/login") return <Outlet />;
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to="/" className="brand">Gantry</Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to} activeOptions={{ exact: n.to === "/" }} activeProps={{ "aria-current": "page" }}>{n.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {me.data ? <span>{me.data.name}</span> : null}
          <button type="button" className="link" onClick={() => void logOut().then(() => window.location.assign("/login"))}>Log out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
