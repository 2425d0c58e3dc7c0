import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";

/**
 * Root admins rotate the run identity signing keys. The old keys stay published for the overlap
 * so tokens already handed to runs keep verifying; a confirmation guards the button because
 * clouds that cache the JWKS may briefly refuse tokens signed with the new key.
 */
export function RotateOidcKeys() {
  const qc = useQueryClient();
  const [overlap, setOverlap] = useState("");
  const rotate = useMutation({
    mutationFn: () => call("rotateOidcKeys", { body: overlap.trim() === "" ? {} : { overlapSeconds: Number(overlap) } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["oidc-keys"] }),
  });
  return (
    <form className="edit" noValidate aria-label="rotate the signing keys" onSubmit={(e) => { e.preventDefault(); if (window.confirm("Rotate the OIDC signing keys? New run tokens are signed with new keys; the old ones stay published for the overlap.")) rotate.mutate(); }}>
      <FormError error={rotate.error} fields={["overlapSeconds"]} />
      <TextField name="overlapSeconds" idPrefix="oidc" label="Overlap (seconds, optional)" value={overlap} onChange={setOverlap} error={rotate.error} hint="how long the old keys stay published; empty for the server's default" />
      {rotate.isSuccess && !rotate.error ? <p role="status">Rotated.</p> : null}
      <div className="actions"><button type="submit" className="danger" disabled={rotate.isPending}>Rotate signing keys</button></div>
    </form>
  );
}
