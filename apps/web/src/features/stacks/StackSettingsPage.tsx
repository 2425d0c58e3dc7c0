import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Loading } from "../../app/ui.js";
import { ConfigEditor } from "../contexts/ConfigEditor.js";
import { stackQuery } from "./queries.js";
import { StackAttachments } from "./StackAttachments.js";
import { StackScheduling } from "./StackScheduling.js";
import { bodyOf, settingsOf, StackForm, type StackSettings } from "./StackForm.js";

/** A stack's settings, environment, attachments and deletion, for people with the write role on it. */
export function StackSettingsPage() {
  const { stackId } = useParams({ from: "/stacks/$stackId/settings" });
  const qc = useQueryClient();
  const navigate = useNavigate();
  const stack = useQuery(stackQuery(stackId));
  const role = useRole(stack.data?.spaceId);
  const spaces = useSpacesAllowing("write");
  const [saved, setSaved] = useState(false);
  const [confirm, setConfirm] = useState("");
  const save = useMutation({
    mutationFn: (v: StackSettings) => call("updateStack", { params: { id: stackId }, body: bodyOf(v) }),
    onSuccess: (s) => { qc.setQueryData(["stack", stackId], s); setSaved(true); },
  });
  const remove = useMutation({
    mutationFn: () => call("deleteStack", { params: { id: stackId } }),
    onSuccess: () => { qc.removeQueries({ queryKey: ["stack", stackId] }); void qc.invalidateQueries({ queryKey: ["stacks"] }); void navigate({ to: "/stacks" }); },
  });
  if (stack.error) return <ErrorBox error={stack.error} />;
  if (!stack.data || !spaces) return <Loading what="the stack's settings" />;
  const s = stack.data;
  const header = (
    <>
      <p className="muted"><Link to="/stacks">Stacks</Link> / <Link to="/stacks/$stackId" params={{ stackId }}>{s.name}</Link></p>
      <h1>Settings of {s.name}</h1>
    </>
  );
  if (role && !allows(role, "write")) return <>{header}<p role="alert" className="error">Changing this stack needs the write role in space {s.spaceId}; you can read it.</p></>;
  return (
    <>
      {header}
      {/* Keyed by the stored version: after a save the form starts again from what the server kept. */}
      <StackForm key={s.updatedAt} initial={settingsOf(s)} spaces={spaces} creating={false} error={save.error} pending={save.isPending} submitLabel="Save settings" onSubmit={(v) => { setSaved(false); save.mutate(v); }} />
      {saved && !save.error ? <p role="status">Saved.</p> : null}
      <section aria-labelledby="stack-env-h">
        <h2 id="stack-env-h">Environment of the stack</h2>
        <ConfigEditor owner={{ kind: "stack", id: stackId }} />
      </section>
      <section aria-labelledby="stack-attachments-h">
        <h2 id="stack-attachments-h">Attached contexts, policies and integrations</h2>
        <StackAttachments stackId={stackId} />
      </section>
      <StackScheduling stackId={stackId} />
      <section aria-labelledby="delete-h">
        <h2 id="delete-h">Delete the stack</h2>
        {s.protectFromDeletion ? (
          <p>Deletion protection is on: turn off <em>Protect from deletion</em> above and save before deleting this stack.</p>
        ) : (
          <form className="toolbar" onSubmit={(e) => { e.preventDefault(); if (confirm === s.id) remove.mutate(); }}>
            <p>Deleting removes the stack, its runs, variables and attachments from Gantry; the resources it manages are left as they are (destroy them first with a DESTROY run if they should go).</p>
            <div><label htmlFor="confirm-delete">Type the stack's id ({s.id}) to confirm</label><input id="confirm-delete" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" /></div>
            <button type="submit" className="danger" disabled={confirm !== s.id || remove.isPending}>Delete stack</button>
          </form>
        )}
        {remove.error ? <ErrorBox error={remove.error} /> : null}
      </section>
    </>
  );
}
