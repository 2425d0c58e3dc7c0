import type { Stack } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";

/**
 * Locking a stack with an optional reason (`lockStack`'s `note`): kept with the lock and shown
 * beside its owner on the stack page, so whoever finds the stack locked knows why.
 */
export function LockStackForm({ stackId, onLocked }: { stackId: string; onLocked: () => void }) {
  const qc = useQueryClient();
  const [note, setNote] = useState("");
  const lock = useMutation({
    mutationFn: () => call("lockStack", { params: { id: stackId }, body: note.trim() ? { note: note.trim() } : {} }),
    onSuccess: (stack: Stack) => {
      qc.setQueryData(["stack", stackId], stack);
      void qc.invalidateQueries({ queryKey: ["stack", stackId] });
      onLocked();
    },
  });
  return (
    <form className="edit" noValidate aria-label="lock the stack" onSubmit={(e) => { e.preventDefault(); lock.mutate(); }}>
      <FormError error={lock.error} fields={["note"]} />
      <TextField name="note" idPrefix="lock" label="Reason (optional)" value={note} onChange={setNote} error={lock.error} hint="shown with the lock; while it holds, only you can trigger runs" />
      <div className="actions"><button type="submit" className="primary" disabled={lock.isPending}>Lock the stack</button></div>
    </form>
  );
}
