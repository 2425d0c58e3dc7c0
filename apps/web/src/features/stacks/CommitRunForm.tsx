import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, SelectField, TextField } from "../../app/forms.js";

type CommitRunType = "TRACKED" | "PROPOSED";

/**
 * A run of a given commit instead of the branch head (`createRun`'s `commitSha`), folded away on
 * the stack page. The server checks the sha in the repository: an unknown one, or (for a tracked
 * run) one that is not on the tracked branch, comes back at the Commit field.
 */
export function CommitRunForm({ stackId, branch }: { stackId: string; branch: string }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [commitSha, setCommitSha] = useState("");
  const [type, setType] = useState<CommitRunType>("TRACKED");
  const trigger = useMutation({
    mutationFn: () => call("createRun", { params: { id: stackId }, body: { type, commitSha: commitSha.trim() } }),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: ["stack-runs", stackId] });
      void navigate({ to: "/stacks/$stackId/runs/$runId", params: { stackId, runId: run.id } });
    },
  });
  return (
    <form className="edit" noValidate aria-label="run a given commit" onSubmit={(e) => { e.preventDefault(); trigger.mutate(); }}>
      <FormError error={trigger.error} fields={["commitSha", "type"]} />
      <TextField
        name="commitSha" idPrefix="commit-run" label="Commit" value={commitSha} onChange={setCommitSha} error={trigger.error} autoComplete="off"
        hint={`the full or abbreviated sha; a tracked run takes commits of branch ${branch} only, a proposed run any commit of the repository`}
      />
      <SelectField
        name="type" idPrefix="commit-run" label="Run type" value={type} onChange={(v) => setType(v as CommitRunType)} error={trigger.error}
        options={[{ value: "TRACKED", label: "Tracked (plans, then applies once confirmed)" }, { value: "PROPOSED", label: "Proposed (plans only)" }]}
      />
      <div className="actions"><button type="submit" className="primary" disabled={!commitSha.trim() || trigger.isPending}>Run this commit</button></div>
    </form>
  );
}
