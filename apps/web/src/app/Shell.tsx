import type { Me } from "@gantry/contract";
import { useQuery } from "@tanstack/react-query";
import { Link, Outlet, useRouterState } from "@tanstack/react-router";
import { administersRoot, administersSomeSpace } from "../features/admin/who-administers.js";
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
  { to: "/api-keys", label: "API keys" },
] as const;

/** The account page a person gets: root admins the users page, other space admins role grants. */
function accountsLink(roles: Me["roles"] | undefined) {
  if (!roles) return null;
  if (administersRoot(roles)) return { to: "/admin", label: "Users" } as const;
  if (administersSomeSpace(roles)) return { to: "/role-bindings", label: "Role bindings" } as const;
  return null;
}

/** The frame of every page but the login page: a skip link, the navigation and who is signed in. */
export function Shell() {
  const path = useRouterState({ select: (s) => s.location.pathname });
  const me = useQuery({ ...meQuery(), enabled: path !== "/login" });
  if (path === "/login") return <Outlet />;
  const accounts = accountsLink(me.data?.roles);
  const links = accounts ? [...nav.slice(0, -1), accounts, nav[nav.length - 1]!] : nav;
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to="/" className="brand">Gantry</Link>
        <nav aria-label="Main">
          <ul>
            {links.map((n) => (
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
