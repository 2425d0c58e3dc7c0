import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { spaceOptions, useFormState } from "../../app/entity-form.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";
import { allows, useRole, useSpacesAllowing } from "../../app/roles.js";
import { ErrorBox } from "../../app/ui.js";

/** A pool token, shown once: Gantry keeps only its hash. */
function TokenOnce({ pool, token, onDone }: { pool: string; token: string; onDone: () => void }) {
  return (
    <div className="secret-once" role="status">
      <p><strong>Token of pool {pool}.</strong> Copy it now: Gantry keeps only a hash and will not show it again. Workers start with <code>gantry worker --pool-token …</code>.</p>
      <code>{token}</code> <button type="button" onClick={onDone}>Done</button>
    </div>
  );
}

/** Creating a private worker pool (admin role in its space); its token is shown once. */
export function NewWorkerPoolForm() {
  const qc = useQueryClient();
  const spaces = useSpacesAllowing("admin");
  const [created, setCreated] = useState<{ pool: string; token: string } | null>(null);
  const [v, set] = useFormState({ id: "", name: "", description: "", spaceId: "" });
  const create = useMutation({
    mutationFn: (spaceId: string) => call("createWorkerPool", { body: { name: v.name, description: v.description, spaceId, ...(v.id.trim() ? { id: v.id.trim() } : {}) } }),
    onSuccess: (r) => { setCreated({ pool: r.pool.name, token: r.token }); void qc.invalidateQueries({ queryKey: ["worker-pools"] }); },
  });
  if (!spaces || spaces.length === 0) return null;
  const spaceId = v.spaceId || (spaces.some((s) => s.id === "root") ? "root" : spaces[0]!.id);
  const error = create.error;
  return (
    <section aria-labelledby="new-pool-h">
      <h2 id="new-pool-h">New worker pool</h2>
      {created ? <TokenOnce pool={created.pool} token={created.token} onDone={() => setCreated(null)} /> : null}
      <form className="edit" noValidate aria-label="new worker pool" onSubmit={(e) => { e.preventDefault(); create.mutate(spaceId); }}>
        <FormError error={error} fields={["id", "name", "description", "spaceId"]} />
        <TextField name="name" idPrefix="pool" label="Name" value={v.name} onChange={set("name")} error={error} />
        <TextField name="id" idPrefix="pool" label="Id (optional)" value={v.id} onChange={set("id")} error={error} hint="a lowercase slug; defaults to one made from the name" />
        <TextField name="description" idPrefix="pool" label="Description" value={v.description} onChange={set("description")} error={error} />
        <SelectField name="spaceId" idPrefix="pool" label="Space" value={spaceId} onChange={set("spaceId")} error={error} options={spaceOptions(spaces, spaceId)} hint="stacks of this space (and of spaces inheriting from it) may use the pool; only spaces where you are an admin are offered" />
        <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create worker pool</button></div>
      </form>
    </section>
  );
}

/** A pool's admin actions: replace its token (workers holding the old one are refused) and delete it. */
export function WorkerPoolActions({ id, name, spaceId, onDeleted }: { id: string; name: string; spaceId: string; onDeleted?: () => void }) {
  const qc = useQueryClient();
  const role = useRole(spaceId);
  const [token, setToken] = useState<string | null>(null);
  const reset = useMutation({ mutationFn: () => call("resetWorkerPoolToken", { params: { id } }), onSuccess: (r) => setToken(r.token) });
  const remove = useMutation({ mutationFn: () => call("deleteWorkerPool", { params: { id } }), onSuccess: () => { void qc.invalidateQueries({ queryKey: ["worker-pools"] }); onDeleted?.(); } });
  if (!allows(role, "admin")) return null;
  return (
    <>
      {token ? <TokenOnce pool={name} token={token} onDone={() => setToken(null)} /> : null}
      <div className="actions" role="group" aria-label={`actions of pool ${name}`}>
        <button type="button" disabled={reset.isPending} onClick={() => { if (window.confirm(`Replace the token of ${name}? Its workers are refused until they get the new one.`)) reset.mutate(); }}>Reset token of {name}</button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => { if (window.confirm(`Delete the worker pool ${name}?`)) remove.mutate(); }}>Delete {name}</button>
      </div>
      {reset.error ? <ErrorBox error={reset.error} /> : null}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
    </>
  );
}
