import type { EndpointOutput, Endpoints } from "@gantry/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { SavedNotice } from "../../app/entity-form.js";
import { FormError, TextField } from "../../app/forms.js";

type User = EndpointOutput<Endpoints["getUser"]>;

/** Changes the name people see beside a user name (empty clears it); root admins only, as the API. */
export function UserDisplayNameForm({ user }: { user: User }) {
  const qc = useQueryClient();
  const [displayName, setDisplayName] = useState(user.displayName);
  const save = useMutation({
    mutationFn: () => call("updateUser", { params: { id: user.id }, body: { displayName } }),
    onSuccess: (u) => { qc.setQueryData(["user", u.id], u); void qc.invalidateQueries({ queryKey: ["users"] }); },
  });
  return (
    <form className="edit" noValidate aria-label={`display name of ${user.username}`} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <FormError error={save.error} fields={["displayName"]} />
      <TextField name="displayName" idPrefix="user" label="Display name" value={displayName} onChange={(v) => { setDisplayName(v); save.reset(); }} error={save.error} autoComplete="off"
        hint="The name people see beside the user name; LOGIN policies read it as input.session.name. Leave it empty for none." />
      <div className="actions"><button type="submit" className="primary" disabled={save.isPending}>Save display name</button></div>
      <SavedNotice saved={save.isSuccess} error={save.error} />
    </form>
  );
}
