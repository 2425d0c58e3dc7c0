import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, messagesFor, TextField } from "../../app/forms.js";
import { base64Of } from "../../app/upload.js";

/**
 * A proposed run of code that is not committed: a gzipped tar of the working directory (paths
 * relative to the repository root), as `gantry stack local-preview` uploads it. Offered on
 * stacks that allow local previews; the server checks the archive and says what is wrong.
 */
export function LocalPreviewForm({ stackId }: { stackId: string }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [archive, setArchive] = useState<File | undefined>();
  const [message, setMessage] = useState("");
  const preview = useMutation({
    mutationFn: async () => call("createLocalPreview", {
      params: { id: stackId },
      body: { archiveBase64: archive ? await base64Of(archive) : "", message: message.trim() || undefined },
    }),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: ["stack-runs", stackId] });
      void navigate({ to: "/stacks/$stackId/runs/$runId", params: { stackId, runId: run.id } });
    },
  });
  const problems = messagesFor(preview.error, "archiveBase64");
  return (
    <form className="edit" noValidate aria-label="preview local code" onSubmit={(e) => { e.preventDefault(); preview.mutate(); }}>
      <FormError error={preview.error} fields={["archiveBase64", "message"]} />
      <div className="field">
        <label htmlFor="local-preview-archive">Working directory archive (.tar.gz)</label>
        <input
          id="local-preview-archive" type="file" accept=".tar.gz,.tgz,application/gzip"
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={["local-preview-archive-hint", problems.length ? "local-preview-archive-error" : ""].filter(Boolean).join(" ")}
          onChange={(e) => setArchive(e.target.files?.[0])}
        />
        <p id="local-preview-archive-hint" className="hint muted">
          Made at the repository root with <code>tar czf preview.tar.gz --exclude .git --exclude .terraform .</code>; or let <code>gantry stack local-preview {stackId}</code> pack it (it honours <code>.terraformignore</code>).
        </p>
        {problems.length ? <p id="local-preview-archive-error" className="field-error">{problems.join("; ")}</p> : null}
      </div>
      <TextField name="message" idPrefix="local-preview" label="Message (optional)" value={message} onChange={setMessage} error={preview.error} hint="shown as the run's commit message" />
      <div className="actions"><button type="submit" className="primary" disabled={preview.isPending}>{preview.isPending ? "Uploading…" : "Queue the preview"}</button></div>
    </form>
  );
}
