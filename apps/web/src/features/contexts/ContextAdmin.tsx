import type { Context } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox, Loading } from "../../app/ui.js";
import { ConfigEditor } from "./ConfigEditor.js";
import { ContextForm, contextBodyOf, contextSettingsOf, type ContextSettings } from "./ContextForm.js";

/** Creating a context: the admin role in its space is needed (the server checks it again). */
export function NewContextPage() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const spaces = useSpacesAllowing("admin");
  const create = useMutation({
    mutationFn: (v: ContextSettings) => call("createContext", { body: { ...contextBodyOf(v), ...(v.id.trim() ? { id: v.id.trim() } : {}) } }),
    onSuccess: (c) => { void qc.invalidateQueries({ queryKey: ["contexts"] }); void navigate({ to: "/contexts/$contextId", params: { contextId: c.id } }); },
  });
  if (!spaces) return <Loading what="your spaces" />;
  return (
    <>
      <p className="muted"><Link to="/contexts">Contexts</Link></p>
      <h1>New context</h1>
      {spaces.length === 0 ? <p role="alert" className="error">Creating a context needs the admin role in a space; you have none.</p> : (
        <ContextForm initial={{ ...contextSettingsOf(), spaceId: spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id }} spaces={spaces} creating error={create.error} pending={create.isPending} submitLabel="Create context" onSubmit={(v) => create.mutate(v)} />
      )}
    </>
  );
}

/** What an admin of the context's space gets on its page: settings, variables and files, deletion. */
export function ContextAdmin({ context }: { context: Context }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const spaces = useSpacesAllowing("admin");
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const save = useMutation({
    mutationFn: (v: ContextSettings) => call("updateContext", { params: { id: context.id }, body: contextBodyOf(v) }),
    onSuccess: (c) => { qc.setQueryData(["context", context.id], c); setSaved(true); },
  });
  const remove = useMutation({
    mutationFn: () => call("deleteContext", { params: { id: context.id } }),
    onSuccess: () => { qc.removeQueries({ queryKey: ["context", context.id] }); void qc.invalidateQueries({ queryKey: ["contexts"] }); void navigate({ to: "/contexts" }); },
  });
  return (
    <>
      <section aria-labelledby="ctx-env-h">
        <h2 id="ctx-env-h">Environment</h2>
        <ConfigEditor owner={{ kind: "context", id: context.id }} />
      </section>
      <section aria-labelledby="ctx-settings-h">
        <h2 id="ctx-settings-h">Settings</h2>
        {spaces ? <ContextForm key={context.updatedAt} initial={contextSettingsOf(context)} spaces={spaces} creating={false} error={save.error} pending={save.isPending} submitLabel="Save context" onSubmit={(v) => { setSaved(false); save.mutate(v); }} /> : <Loading what="your spaces" />}
        {saved && !save.error ? <p role="status">Saved.</p> : null}
      </section>
      <section aria-labelledby="ctx-delete-h">
        <h2 id="ctx-delete-h">Delete the context</h2>
        <p>Deleting removes its variables and files and detaches it from every stack.</p>
        {confirming ? (
          <div className="actions" role="group" aria-label="confirm deletion">
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>Delete {context.name} now</button>
            <button type="button" onClick={() => setConfirming(false)}>Keep it</button>
          </div>
        ) : <button type="button" className="danger" onClick={() => setConfirming(true)}>Delete context…</button>}
        {remove.error ? <ErrorBox error={remove.error} /> : null}
      </section>
    </>
  );
}
