import type { EndpointOutput, Endpoints } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { FormError, SelectField } from "../../app/forms.js";
import { useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox } from "../../app/ui.js";

type Named = { id: string; name: string };

/**
 * Role bindings on the spaces the person administers: revoke one, or grant a user or team a role
 * on a space (offered only where the person is an admin; the server checks again).
 */
export function RoleBindingsSection({ users, teams }: { users: Named[]; teams: Named[] }) {
  const qc = useQueryClient();
  const bindings = useQuery({ queryKey: ["role-bindings"], queryFn: () => call("listRoleBindings", { query: {} }) });
  const spaces = useSpacesAllowing("admin") ?? [];
  const spaceNames = new Map(spaces.map((s) => [s.id, s.name]));
  const subjects = { user: new Map(users.map((u) => [u.id, u.name])), team: new Map(teams.map((t) => [t.id, t.name])) };
  const refresh = () => { void qc.invalidateQueries({ queryKey: ["role-bindings"] }); void qc.invalidateQueries({ queryKey: ["me"] }); };
  const revoke = useMutation({ mutationFn: (id: string) => call("deleteRoleBinding", { params: { id } }), onSuccess: refresh });
  const describe = (b: EndpointOutput<Endpoints["listRoleBindings"]>["items"][number]) => `${b.role} on ${spaceNames.get(b.spaceId) ?? b.spaceId} for ${b.subjectType} ${subjects[b.subjectType].get(b.subjectId) ?? b.subjectId}`;
  return (
    <section aria-labelledby="bindings-h">
      <h2 id="bindings-h">Role bindings</h2>
      {bindings.error ? <ErrorBox error={bindings.error} /> : null}
      {bindings.data?.items.length ? (
        <table>
          <thead><tr><th scope="col">Space</th><th scope="col">Role</th><th scope="col">Granted to</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {bindings.data.items.map((b) => (
              <tr key={b.id}>
                <td>{spaceNames.get(b.spaceId) ?? b.spaceId}</td><td>{b.role}</td>
                <td>{b.subjectType} {subjects[b.subjectType].get(b.subjectId) ?? b.subjectId}</td>
                <td><button type="button" className="link" disabled={revoke.isPending} onClick={() => { if (window.confirm(`Revoke ${describe(b)}?`)) revoke.mutate(b.id); }}>Revoke {describe(b)}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">No role bindings on spaces you administer.</p>}
      {revoke.error ? <ErrorBox error={revoke.error} /> : null}
      {spaces.length ? <GrantForm spaces={spaces} users={users} teams={teams} onGranted={refresh} /> : null}
    </section>
  );
}

function GrantForm({ spaces, users, teams, onGranted }: { spaces: Named[]; users: Named[]; teams: Named[]; onGranted: () => void }) {
  const [v, set] = useFormState({ spaceId: "", role: "read", subjectType: "user", subjectId: "" });
  const spaceId = v.spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  const pool = v.subjectType === "team" ? teams : users;
  const subjectId = pool.some((s) => s.id === v.subjectId) ? v.subjectId : pool[0]?.id ?? "";
  const grant = useMutation({
    mutationFn: () => call("createRoleBinding", { body: { spaceId, role: v.role as "read" | "write" | "admin", subjectType: v.subjectType as "user" | "team", subjectId } }),
    onSuccess: onGranted,
  });
  return (
    <form className="edit" noValidate aria-label="grant a role" onSubmit={(e) => { e.preventDefault(); grant.mutate(); }}>
      <FormError error={grant.error} fields={["spaceId", "role", "subjectType", "subjectId"]} />
      <SelectField name="spaceId" idPrefix="binding" label="Space" value={spaceId} onChange={set("spaceId")} error={grant.error} options={spaceOptions(spaces, spaceId)} hint="the role holds in the space and all spaces under it" />
      <SelectField name="role" idPrefix="binding" label="Role" value={v.role} onChange={set("role")} error={grant.error} options={["read", "write", "admin"].map((r) => ({ value: r, label: r }))} />
      <SelectField name="subjectType" idPrefix="binding" label="Granted to a" value={v.subjectType} onChange={set("subjectType")} error={grant.error} options={[{ value: "user", label: "user" }, { value: "team", label: "team" }]} />
      <SelectField name="subjectId" idPrefix="binding" label={v.subjectType === "team" ? "Team" : "User"} value={subjectId} onChange={set("subjectId")} error={grant.error} options={pool.map((s) => ({ value: s.id, label: s.name }))} />
      <div className="actions"><button type="submit" className="primary" disabled={grant.isPending}>Grant role</button></div>
    </form>
  );
}
