import type { EndpointOutput, Endpoints } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";
import { useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Loading } from "../../app/ui.js";

type Named = { id: string; name: string };
type Binding = EndpointOutput<Endpoints["listRoleBindings"]>["items"][number];

/**
 * Role bindings on the spaces the person administers (the server answers only those): revoke
 * one, or grant a user or team a role on a space (offered only where the person is an admin;
 * the server checks again). `users`/`teams` are null for someone who may not list accounts (a
 * space admin who is not root admin): they type the id, and the server says if it does not exist.
 */
export function RoleBindingsSection({ users, teams, title = "Role bindings" }: { users: Named[] | null; teams: Named[] | null; title?: string }) {
  const qc = useQueryClient();
  const bindings = useQuery({ queryKey: ["role-bindings"], queryFn: () => call("listRoleBindings", { query: {} }) });
  const spaces = useSpacesAllowing("admin");
  const spaceNames = new Map((spaces ?? []).map((s) => [s.id, s.name]));
  const subjects = { user: new Map((users ?? []).map((u) => [u.id, u.name])), team: new Map((teams ?? []).map((t) => [t.id, t.name])) };
  const refresh = () => { void qc.invalidateQueries({ queryKey: ["role-bindings"] }); void qc.invalidateQueries({ queryKey: ["me"] }); };
  const revoke = useMutation({ mutationFn: (id: string) => call("deleteRoleBinding", { params: { id } }), onSuccess: refresh });
  const subject = (b: Binding) => `${b.subjectType} ${subjects[b.subjectType].get(b.subjectId) ?? b.subjectId}`;
  const describe = (b: Binding) => `${b.role} on ${spaceNames.get(b.spaceId) ?? b.spaceId} for ${subject(b)}`;
  return (
    <section aria-labelledby="bindings-h">
      <h2 id="bindings-h">{title}</h2>
      {bindings.error ? <ErrorBox error={bindings.error} /> : !bindings.data ? <Loading what="role bindings" /> : bindings.data.items.length ? (
        <table>
          <thead><tr><th scope="col">Space</th><th scope="col">Role</th><th scope="col">Granted to</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {bindings.data.items.map((b) => (
              <tr key={b.id}>
                <td>{spaceNames.get(b.spaceId) ?? b.spaceId}</td><td>{b.role}</td><td>{subject(b)}</td>
                <td><button type="button" className="link" disabled={revoke.isPending} onClick={() => { if (window.confirm(`Revoke ${describe(b)}?`)) revoke.mutate(b.id); }}>Revoke {describe(b)}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">No role bindings on spaces you administer.</p>}
      {revoke.error ? <ErrorBox error={revoke.error} /> : null}
      {spaces?.length ? <GrantForm spaces={spaces} users={users} teams={teams} onGranted={refresh} /> : null}
    </section>
  );
}

function GrantForm({ spaces, users, teams, onGranted }: { spaces: Named[]; users: Named[] | null; teams: Named[] | null; onGranted: () => void }) {
  const [v, set] = useFormState({ spaceId: "", role: "read", subjectType: "user", subjectId: "" });
  const spaceId = v.spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  const team = v.subjectType === "team";
  const pool = team ? teams : users;
  // With a list the choice is one of it; without one (no right to list accounts) the id is typed.
  const subjectId = pool ? (pool.some((s) => s.id === v.subjectId) ? v.subjectId : pool[0]?.id ?? "") : v.subjectId.trim();
  const grant = useMutation({
    mutationFn: () => call("createRoleBinding", { body: { spaceId, role: v.role as "read" | "write" | "admin", subjectType: v.subjectType as "user" | "team", subjectId } }),
    onSuccess: () => { if (!pool) set("subjectId")(""); onGranted(); },
  });
  const subjectLabel = team ? (pool ? "Team" : "Team id") : pool ? "User" : "User id";
  return (
    <form className="edit" noValidate aria-label="grant a role" onSubmit={(e) => { e.preventDefault(); grant.mutate(); }}>
      <FormError error={grant.error} fields={["spaceId", "role", "subjectType", "subjectId"]} />
      <SelectField name="spaceId" idPrefix="binding" label="Space" value={spaceId} onChange={set("spaceId")} error={grant.error} options={spaceOptions(spaces, spaceId)} hint="only spaces you administer are offered; the role holds in the space and all spaces under it" />
      <SelectField name="role" idPrefix="binding" label="Role" value={v.role} onChange={set("role")} error={grant.error} options={["read", "write", "admin"].map((r) => ({ value: r, label: r }))} />
      <SelectField name="subjectType" idPrefix="binding" label="Granted to a" value={v.subjectType} onChange={set("subjectType")} error={grant.error} options={[{ value: "user", label: "user" }, { value: "team", label: "team" }]} />
      {pool
        ? <SelectField name="subjectId" idPrefix="binding" label={subjectLabel} value={subjectId} onChange={set("subjectId")} error={grant.error} options={pool.map((s) => ({ value: s.id, label: s.name }))} />
        : <TextField name="subjectId" idPrefix="binding" label={subjectLabel} value={v.subjectId} onChange={set("subjectId")} error={grant.error} autoComplete="off"
            hint={team ? "ask a root admin for the team's id" : "a person finds their user id on their API keys page (the User column)"} />}
      {grant.isSuccess && !grant.error && !grant.isPending ? <p role="status">Granted.</p> : null}
      <div className="actions"><button type="submit" className="primary" disabled={grant.isPending}>Grant role</button></div>
    </form>
  );
}
