import type { Policy, PolicyCheck } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { ErrorBox } from "../../app/ui.js";
import type { EditorProblem } from "./editor-setup.js";
import { PolicyWhatIf } from "./PolicyWhatIf.js";
import { RegoEditor } from "./RegoEditor.js";
import { PolicyWarnings, RegoVersionField, regoVersionLabel, regoVersionParam, type RegoVersionChoice } from "./rego-version.js";

function describe(e: PolicyCheck["errors"][number]): string {
  return `${e.file === "tests" ? "tests, " : ""}line ${e.row ?? "?"}${e.col ? `:${e.col}` : ""}: ${e.code}: ${e.message}`;
}

/**
 * Edits a policy: the body is compiled by the server as the person types (errors at their line,
 * and listed below for screen readers), and on save the policy's own tests run first, so their
 * results show here; the server runs them again on save and refuses a change they fail.
 * The Rego version is the person's choice or, by default, detected: the check is asked to detect
 * it as the save will (trying the policy's current version first), so a Rego v0 body pasted over
 * a v1 policy is checked, and saved, as v0 with the server's warning instead of being blocked here.
 */
export function PolicyEditor({ policy, onDone }: { policy: Policy; onDone: (saved?: Policy) => void }) {
  const qc = useQueryClient();
  const [body, setBody] = useState(policy.body);
  const [tests, setTests] = useState(policy.tests);
  const [result, setResult] = useState<PolicyCheck | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [version, setVersion] = useState<RegoVersionChoice>("");
  // What the last check said the body is (and would warn about), for the what-if and the person.
  const [checked, setChecked] = useState<Pick<PolicyCheck, "regoVersion" | "warnings"> | null>(null);
  const regoVersion = regoVersionParam(version);

  const checkBody = async (doc: string): Promise<EditorProblem[]> => {
    const r = await call("checkPolicy", { body: { body: doc, type: policy.type, detectFrom: policy.regoVersion, ...(regoVersion ? { regoVersion } : {}) } });
    setProblems(r.errors.map(describe));
    setChecked({ regoVersion: r.regoVersion, warnings: r.warnings });
    return r.errors.map((e) => ({ row: e.row, col: e.col, message: `${e.code}: ${e.message}` }));
  };

  const save = useMutation({
    mutationFn: async () => {
      const checked = await call("checkPolicy", { body: { body, type: policy.type, detectFrom: policy.regoVersion, ...(regoVersion ? { regoVersion } : {}), tests: tests || undefined } });
      setResult(checked);
      setChecked({ regoVersion: checked.regoVersion, warnings: checked.warnings });
      if (checked.errors.length > 0) throw new Error(`not saved: the policy does not compile (${checked.errors.map(describe).join("; ")})`);
      const failed = (checked.tests ?? []).filter((t) => t.outcome === "fail" || t.outcome === "error");
      if (failed.length > 0) throw new Error(`not saved: ${failed.length} test${failed.length === 1 ? "" : "s"} failed (${failed.map((t) => t.name).join(", ")}); fix the policy or the tests`);
      // The tests are saved with the policy: the server runs them again and refuses a failing change.
      return call("updatePolicy", { params: { id: policy.id }, body: { body, tests, ...(regoVersion ? { regoVersion } : {}) } });
    },
    onSuccess: (p) => { qc.setQueryData(["policy", policy.id], p); onDone(p); },
  });

  return (
    <>
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }} aria-label={`edit ${policy.name}`}>
      <RegoVersionField value={version} onChange={(v) => { setVersion(v); save.reset(); }} error={save.error} detectsFrom={`${regoVersionLabel(policy.regoVersion)} (this policy's version)`} />
      <h2 id="body-h">Body</h2>
      <RegoEditor key={version} value={body} label="policy body" onChange={setBody} check={checkBody} />
      <div role="status" aria-live="polite">
        {problems.length === 0 ? <p className="muted">Compiles{checked ? ` as ${regoVersionLabel(checked.regoVersion)}` : ""}.</p> : <ul className="checks error">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
      </div>
      <PolicyWarnings heading="Saving will warn:" warnings={checked?.warnings} />
      <h2 id="tests-h">Tests <span className="muted">(saved with the policy and run on every change, like <code>--test-file</code>)</span></h2>
      <RegoEditor value={tests} label="policy tests" onChange={setTests} />
      {result?.tests ? (
        <ul className="checks" aria-label="test results">
          {result.tests.map((t) => <li key={t.name}><span className={`badge state-${t.outcome === "pass" ? "ok" : t.outcome === "skip" ? "idle" : "bad"}`}>{t.outcome}</span> {t.name}{t.message ? `: ${t.message}` : ""}</li>)}
        </ul>
      ) : null}
      {save.error ? <ErrorBox error={save.error} /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>Test and save</button>
        <button type="button" onClick={() => onDone()}>Cancel</button>
      </div>
    </form>
    <PolicyWhatIf policy={policy} body={body} regoVersion={regoVersion ?? checked?.regoVersion ?? policy.regoVersion} />
    </>
  );
}
