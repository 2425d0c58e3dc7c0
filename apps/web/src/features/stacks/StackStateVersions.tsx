import type { StateVersion } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { call, meQuery } from "../../app/api.js";
import { byteSize, saveAsFile } from "../../app/download.js";
import { allows, useRole } from "../../app/roles.js";
import { ErrorBox, Loading, TimeAgo } from "../../app/ui.js";
import { stackQuery } from "./queries.js";
import { StateImportForm } from "./StateImportForm.js";

/**
 * The stack's managed state over time: its versions (admins: state holds secrets, so listing,
 * downloading and rolling back need the admin role), and importing a state file (writers; forcing
 * one over another lineage or a newer serial, admins). Nothing shows for readers.
 */
export function StackStateVersions({ stackId }: { stackId: string }) {
  const stack = useQuery(stackQuery(stackId));
  const role = useRole(stack.data?.spaceId);
  if (!stack.data || !allows(role, "write")) return null;
  const s = stack.data;
  const admin = allows(role, "admin");
  return (
    <section aria-labelledby="state-versions-h">
      <h2 id="state-versions-h">{admin ? "State versions" : "Import state"}</h2>
      {!s.manageState ? (
        <p className="muted">This stack keeps its state in the backend its code declares (managed state is off), so Gantry holds no versions of it.</p>
      ) : (
        <>
          {admin ? <VersionList stackId={stackId} lockedBy={s.lockedBy} /> : (
            <p className="muted">Listing, downloading and rolling back state versions needs the admin role in space {s.spaceId} (state holds secrets); with the write role you can import a state file.</p>
          )}
          <StateImportForm stackId={stackId} admin={admin} />
        </>
      )}
    </section>
  );
}

function VersionList({ stackId, lockedBy }: { stackId: string; lockedBy: string | null }) {
  const qc = useQueryClient();
  const me = useQuery(meQuery());
  const versions = useQuery({ queryKey: ["state-versions", stackId], queryFn: () => call("listStateVersions", { params: { id: stackId } }) });
  const [confirming, setConfirming] = useState<StateVersion | null>(null);
  // The state document is saved and dropped inside the mutation: it never becomes the mutation's
  // data, so nothing keeps it in memory (or in React Query's caches) after the download.
  const download = useMutation({
    mutationFn: async (v: StateVersion) => {
      const { state } = await call("getStateVersion", { params: { id: stackId, versionId: v.id } });
      saveAsFile(`${stackId}-serial-${v.serial}.tfstate`, `${JSON.stringify(state, null, 2)}\n`, "application/json");
    },
  });
  const rollback = useMutation({
    mutationFn: (v: StateVersion) => call("rollbackState", { params: { id: stackId, versionId: v.id } }),
    onSuccess: () => {
      setConfirming(null);
      for (const key of ["state-versions", "stack-resources", "stack-outputs"]) void qc.invalidateQueries({ queryKey: [key, stackId] });
    },
  });
  if (versions.error) return <ErrorBox error={versions.error} />;
  if (!versions.data) return <Loading what="state versions" />;
  const items = versions.data.items;
  const current = items[0];
  const lock = lockedBy === null ? "it is not locked" : lockedBy === me.data?.id ? "you hold its lock" : `it is locked by ${lockedBy}`;
  return (
    <>
      {items.length === 0 ? <p className="muted">No state yet: the first tracked run that applies writes one, or import a state file below.</p> : (
        <table aria-label="state versions">
          <thead><tr><th scope="col">Serial</th><th scope="col">Lineage</th><th scope="col">Written</th><th scope="col">By</th><th scope="col">Size</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <td>{v.serial}{v === current ? <> <span className="badge state-ok">current</span></> : null}</td>
                <td><code>{v.lineage}</code></td>
                <td><TimeAgo at={v.createdAt} /></td>
                <td>{v.runId ? <Link to="/stacks/$stackId/runs/$runId" params={{ stackId, runId: v.runId }}>run {v.runId.slice(-8)}</Link> : <span className="muted">a person (import or rollback)</span>}</td>
                <td>{byteSize(v.size)}</td>
                <td><div className="actions">
                  <button type="button" disabled={download.isPending} onClick={() => download.mutate(v)}>Download serial {v.serial}</button>
                  {v === current ? null : <button type="button" aria-expanded={confirming?.id === v.id} onClick={() => { rollback.reset(); setConfirming(confirming?.id === v.id ? null : v); }}>Roll back to serial {v.serial}…</button>}
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {download.error ? <ErrorBox error={download.error} /> : null}
      {confirming && current ? (
        <div role="group" aria-label="confirm rollback" className="toolbar">
          <p>
            <strong>Make serial {confirming.serial} the current state again?</strong> It is written as a new version (serial {current.serial + 1}) and the next run plans against it;
            serial {current.serial} stays in this list. The server accepts a rollback only while you hold the stack's lock (Lock, at the top of the page) and no run is pending: {lock} now.
          </p>
          <button type="button" className="danger" disabled={rollback.isPending} onClick={() => rollback.mutate(confirming)}>Roll back now</button>
          <button type="button" onClick={() => { rollback.reset(); setConfirming(null); }}>Keep the current state</button>
        </div>
      ) : null}
      {rollback.error ? <p role="alert" className="error"><strong>Not rolled back.</strong> {rollback.error.message}</p> : null}
      {rollback.data ? <p role="status">Rolled back: serial {rollback.data.serial} is current.</p> : null}
    </>
  );
}
