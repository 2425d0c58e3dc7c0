import type { Policy } from "@gantry/contract";
import { useState } from "react";
import { call } from "../../app/api.js";
import type { EditorProblem } from "./editor-setup.js";
import { PolicyWhatIf } from "./PolicyWhatIf.js";
import { RegoEditor } from "./RegoEditor.js";
import { RegoVersionField, regoVersionLabel, regoVersionParam, type RegoVersionChoice } from "./rego-version.js";

/**
 * The what-if for anyone who can read the policy: try a changed body in a scratch editor
 * (compiled as it is typed) and replay it on recorded runs. Saving needs the editor and the
 * admin role; this never saves. The draft's Rego version is chosen or detected as a save would,
 * and the what-if replays it as that version.
 */
export function PolicyWorkbench({ policy }: { policy: Policy }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState(policy.body);
  const [problems, setProblems] = useState<string[]>([]);
  const [version, setVersion] = useState<RegoVersionChoice>("");
  const [detected, setDetected] = useState<Policy["regoVersion"] | null>(null);
  const regoVersion = regoVersionParam(version);
  const check = async (doc: string): Promise<EditorProblem[]> => {
    const r = await call("checkPolicy", { body: { body: doc, type: policy.type, detectFrom: policy.regoVersion, ...(regoVersion ? { regoVersion } : {}) } });
    setProblems(r.errors.map((e) => `line ${e.row ?? "?"}: ${e.code}: ${e.message}`));
    setDetected(r.regoVersion);
    return r.errors.map((e) => ({ row: e.row, col: e.col, message: `${e.code}: ${e.message}` }));
  };
  if (!open) {
    return (
      <>
        <PolicyWhatIf policy={policy} body={policy.body} />
        <div className="actions"><button type="button" onClick={() => setOpen(true)}>Try a change (what-if draft)…</button></div>
      </>
    );
  }
  return (
    <>
      <h2>Draft <span className="muted">(not saved)</span></h2>
      <RegoVersionField idPrefix="draft" value={version} onChange={setVersion} error={null} detectsFrom={`${regoVersionLabel(policy.regoVersion)} (this policy's version)`} />
      <RegoEditor key={version} value={draft} label="what-if draft" onChange={setDraft} check={check} />
      <div role="status" aria-live="polite">
        {problems.length === 0 ? <p className="muted">Draft compiles{detected ? ` as ${regoVersionLabel(detected)}` : ""}.</p> : <ul className="checks error">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
      </div>
      <PolicyWhatIf policy={policy} body={draft} regoVersion={regoVersion ?? detected ?? policy.regoVersion} />
      <div className="actions"><button type="button" onClick={() => { setOpen(false); setDraft(policy.body); }}>Close the draft</button></div>
    </>
  );
}
