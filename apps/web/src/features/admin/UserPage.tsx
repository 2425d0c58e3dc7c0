import { GantryApiError } from "@gantry/contract/browser";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Facts, Loading, TimeAgo } from "../../app/ui.js";
import { ApiKeyCreateForm } from "./ApiKeyCreateForm.js";
import { ApiKeysTable } from "./ApiKeysTable.js";
import { UserDisplayNameForm } from "./UserDisplayNameForm.js";
import { UserPasswordForm } from "./UserPasswordForm.js";

/**
 * One account in one place, for root admins (the only ones who may read accounts): who it is,
 * its teams, the roles it holds (its own bindings, and its teams'), and its API keys; change its
 * display name, set a new password, create a key for it (secret shown once), revoke a binding of
 * its own or a key here. LOGIN policies may grant more at login: the page says so.
 */
export function UserPage() {
  const { userId } = useParams({ from: "/admin/users/$userId" });
  const qc = useQueryClient();
  const user = useQuery({ queryKey: ["user", userId], queryFn: () => call("getUser", { params: { id: userId } }) });
  const ok = !!user.data;
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => call("listTeams", {}), enabled: ok });
  const bindings = useQuery({ queryKey: ["role-bindings"], queryFn: () => call("listRoleBindings", { query: {} }), enabled: ok });
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => call("listApiKeys", {}), enabled: ok });
  const refresh = (k: string) => () => { void qc.invalidateQueries({ queryKey: [k] }); void qc.invalidateQueries({ queryKey: ["me"] }); };
  const revokeBinding = useMutation({ mutationFn: (id: string) => call("deleteRoleBinding", { params: { id } }), onSuccess: refresh("role-bindings") });
  const revokeKey = useMutation({ mutationFn: (id: string) => call("deleteApiKey", { params: { id } }), onSuccess: refresh("api-keys") });
  if (user.error instanceof GantryApiError && user.error.status === 403) return (<><h1>User</h1><p role="alert">Reading accounts needs the admin role on the root space.</p></>);
  if (user.error) return <ErrorBox error={user.error} />;
  if (!user.data) return <Loading what="the user" />;
  const u = user.data;
  const teamName = new Map((teams.data?.items ?? []).map((t) => [t.id, t.name]));
  // The account answers its teams by name; bindings name teams by id: the team list joins them.
  const memberOf = new Set((teams.data?.items ?? []).filter((t) => t.members.includes(u.id)).map((t) => t.id));
  const own = (bindings.data?.items ?? []).filter((b) => b.subjectType === "user" && b.subjectId === u.id);
  const viaTeams = (bindings.data?.items ?? []).filter((b) => b.subjectType === "team" && memberOf.has(b.subjectId));
  const userKeys = (keys.data?.items ?? []).filter((k) => k.userId === u.id);
  return (
    <>
      <p className="muted"><Link to="/admin">Users and teams</Link></p>
      <h1>{u.username}{u.displayName ? <span className="muted"> ({u.displayName})</span> : null}</h1>
      <Facts items={[["Id", <code key="id">{u.id}</code>], ["Status", u.disabled ? "disabled" : "active"], ["Created", <TimeAgo key="c" at={u.createdAt} />], ["Teams", u.teams.join(", ") || "none"]]} />
      <section aria-labelledby="user-account-h">
        <h2 id="user-account-h">Account</h2>
        <UserDisplayNameForm key={`name-${u.id}`} user={u} />
        <h3>Set a new password</h3>
        <UserPasswordForm key={`password-${u.id}`} user={u} />
      </section>
      <section aria-labelledby="user-roles-h">
        <h2 id="user-roles-h">Roles</h2>
        <p className="muted">A role on a space holds in its whole subtree. LOGIN policies may grant more roles at each login; those are not bindings and do not show here.</p>
        {bindings.error || teams.error ? <ErrorBox error={bindings.error ?? teams.error} /> : !bindings.data || !teams.data ? <Loading what="role bindings" /> : own.length + viaTeams.length === 0 ? <p className="muted">No role bindings.</p> : (
          <table>
            <thead><tr><th scope="col">Space</th><th scope="col">Role</th><th scope="col">Through</th><th scope="col">Granted</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {own.map((b) => (
                <tr key={b.id}><td>{b.spaceId}</td><td>{b.role}</td><td>own binding</td><td><TimeAgo at={b.createdAt} /></td>
                  <td><button type="button" className="link" disabled={revokeBinding.isPending} onClick={() => { if (window.confirm(`Revoke ${b.role} on ${b.spaceId} for ${u.username}?`)) revokeBinding.mutate(b.id); }}>Revoke {b.role} on {b.spaceId}</button></td></tr>
              ))}
              {viaTeams.map((b) => (
                <tr key={b.id}><td>{b.spaceId}</td><td>{b.role}</td><td>team {teamName.get(b.subjectId) ?? b.subjectId}</td><td><TimeAgo at={b.createdAt} /></td><td className="muted">on the team's bindings</td></tr>
              ))}
            </tbody>
          </table>
        )}
        {revokeBinding.error ? <ErrorBox error={revokeBinding.error} /> : null}
      </section>
      <section aria-labelledby="user-keys-h">
        <h2 id="user-keys-h">API keys</h2>
        {keys.error ? <ErrorBox error={keys.error} /> : !keys.data ? <Loading what="API keys" /> : userKeys.length === 0 ? <p className="muted">No API keys.</p> : (
          <ApiKeysTable keys={userKeys} withUser={false} pending={revokeKey.isPending} revokeLabel={(k) => `Revoke key ${k.name}`}
            onRevoke={(k) => { if (window.confirm(`Revoke the API key ${k.name} of ${u.username}?`)) revokeKey.mutate(k.id); }} />
        )}
        {revokeKey.error ? <ErrorBox error={revokeKey.error} /> : null}
        <h3>Create a key for {u.username}</h3>
        <ApiKeyCreateForm key={u.id} forUser={u} idPrefix="user-key" />
      </section>
    </>
  );
}
