import type { EndpointOutput, Endpoints } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";
import { ErrorBox } from "../../app/ui.js";

type Team = EndpointOutput<Endpoints["listTeams"]>["items"][number];

/** Teams for root admins: create, delete (with their role bindings, as the server does), add and remove members. */
export function TeamsSection({ teams, users }: { teams: Team[]; users: { id: string; username: string }[] }) {
  const qc = useQueryClient();
  const names = new Map(users.map((u) => [u.id, u.username]));
  const refresh = () => { for (const k of ["teams", "users", "role-bindings"]) void qc.invalidateQueries({ queryKey: [k] }); };
  const [name, setName] = useState("");
  const create = useMutation({ mutationFn: () => call("createTeam", { body: { name } }), onSuccess: () => { setName(""); refresh(); } });
  const remove = useMutation({ mutationFn: (id: string) => call("deleteTeam", { params: { id } }), onSuccess: refresh });
  const leave = useMutation({ mutationFn: (m: { id: string; userId: string }) => call("removeTeamMember", { params: m }), onSuccess: refresh });
  return (
    <section aria-labelledby="teams-h">
      <h2 id="teams-h">Teams</h2>
      {teams.length === 0 ? <p className="muted">No teams.</p> : teams.map((t) => (
        <div key={t.id} className="card">
          <h3>{t.name}</h3>
          <ul>
            {t.members.length === 0 ? <li className="muted">no members</li> : t.members.map((m) => (
              <li key={m}>{names.get(m) ?? m}{" "}
                <button type="button" className="link" disabled={leave.isPending} onClick={() => leave.mutate({ id: t.id, userId: m })}>Remove {names.get(m) ?? m} from {t.name}</button>
              </li>
            ))}
          </ul>
          <AddMember team={t} users={users} onAdded={refresh} />
          <button type="button" className="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the team ${t.name} and its role bindings?`)) remove.mutate(t.id); }}>Delete team {t.name}</button>
        </div>
      ))}
      {leave.error ? <ErrorBox error={leave.error} /> : null}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
      <form className="edit" noValidate aria-label="create a team" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <FormError error={create.error} fields={["name"]} />
        <TextField name="name" idPrefix="team" label="New team name" value={name} onChange={setName} error={create.error} />
        <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create team</button></div>
      </form>
    </section>
  );
}

/** Adds one of the users not yet in the team. */
function AddMember({ team, users, onAdded }: { team: Team; users: { id: string; username: string }[]; onAdded: () => void }) {
  const candidates = users.filter((u) => !team.members.includes(u.id));
  const [userId, setUserId] = useState("");
  const chosen = candidates.some((u) => u.id === userId) ? userId : candidates[0]?.id ?? "";
  const add = useMutation({ mutationFn: () => call("addTeamMember", { params: { id: team.id, userId: chosen } }), onSuccess: onAdded });
  if (candidates.length === 0) return null;
  return (
    <form className="toolbar" noValidate aria-label={`add a member to ${team.name}`} onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
      <SelectField name="userId" idPrefix={`team-${team.id}`} label={`User to add to ${team.name}`} value={chosen} onChange={setUserId} error={add.error} options={candidates.map((u) => ({ value: u.id, label: u.username }))} />
      <button type="submit" disabled={add.isPending}>Add to {team.name}</button>
      {add.error ? <ErrorBox error={add.error} /> : null}
    </form>
  );
}
