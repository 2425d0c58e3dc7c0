import { GantryApiError } from "@gantry/contract/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call, meQuery } from "../../app/api.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";
import { CreateUserForm } from "./CreateUserForm.js";
import { RoleBindingsSection } from "./RoleBindingsSection.js";
import { TeamsSection } from "./TeamsSection.js";
import { administersSomeSpace } from "./who-administers.js";

const refused = (e: unknown) => e instanceof GantryApiError && e.status === 403;

/** Accounts for root admins: users, teams, role bindings and the LOGIN policies that grant roles at login. */
export function AdminPage() {
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ["users"], queryFn: () => call("listUsers", { query: { limit: 1000 } }) });
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => call("listTeams", {}), enabled: !!users.data });
  const loginPolicies = useQuery({ queryKey: ["policies", "LOGIN"], queryFn: () => call("listPolicies", { query: { type: "LOGIN", limit: 1000 } }) });
  const disable = useMutation({
    mutationFn: (u: { id: string; disabled: boolean }) => call("updateUser", { params: { id: u.id }, body: { disabled: u.disabled } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["users"] }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => call("deleteUser", { params: { id } }),
    onSuccess: () => { for (const k of ["users", "teams", "role-bindings"]) void qc.invalidateQueries({ queryKey: [k] }); },
  });
  if (users.error && refused(users.error)) return <NotRootAdmin />;
  if (users.error) return <ErrorBox error={users.error} />;
  if (!users.data) return <Loading what="users" />;
  return (
    <>
      <h1>Users and teams</h1>
      <section aria-labelledby="users-h">
        <h2 id="users-h">Users ({users.data.items.length})</h2>
        <table>
          <thead><tr><th scope="col">User</th><th scope="col">Display name</th><th scope="col">Teams</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td><Link to="/admin/users/$userId" params={{ userId: u.id }}>{u.username}</Link></td>
                <td>{u.displayName || <span className="muted">—</span>}</td>
                <td>{u.teams.join(", ") || "—"}</td>
                <td>{u.disabled ? "disabled" : "active"}</td>
                <td><TimeAgo at={u.createdAt} /></td>
                <td><button type="button" className="link" onClick={() => disable.mutate({ id: u.id, disabled: !u.disabled })}>{u.disabled ? `Enable ${u.username}` : `Disable ${u.username}`}</button>{" "}
                  <button type="button" className="link" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the user ${u.username} with their API keys, sessions and role bindings?`)) remove.mutate(u.id); }}>Delete {u.username}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {disable.error ? <ErrorBox error={disable.error} /> : null}
        {remove.error ? <ErrorBox error={remove.error} /> : null}
        <CreateUserForm />
      </section>
      <TeamsSection teams={teams.data?.items ?? []} users={users.data.items} />
      <RoleBindingsSection users={users.data.items.map((u) => ({ id: u.id, name: u.username }))} teams={teams.data?.items ?? []} />
      <section aria-labelledby="login-h">
        <h2 id="login-h">Login policies</h2>
        <p className="muted">LOGIN policies decide at each login who may log in and which space roles they get, beside the bindings above.</p>
        {loginPolicies.data?.items.length ? (
          <ul>{loginPolicies.data.items.map((p) => <li key={p.id}><Link to="/policies/$policyId" params={{ policyId: p.id }}>{p.name}</Link> <span className="muted">({p.spaceId})</span></li>)}</ul>
        ) : <p className="muted">No LOGIN policies.</p>}
      </section>
    </>
  );
}

/** What someone who is not root admin gets here: why, and where a space admin grants roles. */
function NotRootAdmin() {
  const me = useQuery(meQuery());
  return (
    <>
      <h1>Users and teams</h1>
      <p role="alert">Managing accounts needs the admin role on the root space.</p>
      {me.data && administersSomeSpace(me.data.roles) ? <p>You administer spaces: grant and revoke roles on them under <Link to="/role-bindings">Role bindings</Link>.</p> : null}
    </>
  );
}
