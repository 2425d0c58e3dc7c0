import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";

/** Creates a local account (root admins): user name, the name people see, a first password. */
export function CreateUserForm() {
  const qc = useQueryClient();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const create = useMutation({
    mutationFn: () => call("createUser", { body: { username, displayName, password } }),
    onSuccess: () => { setUsername(""); setDisplayName(""); setPassword(""); void qc.invalidateQueries({ queryKey: ["users"] }); },
  });
  return (
    <form className="edit" noValidate aria-label="create a user" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
      <FormError error={create.error} fields={["username", "displayName", "password"]} />
      <TextField name="username" idPrefix="new-user" label="New user name" value={username} onChange={setUsername} error={create.error} autoComplete="off" hint="What they log in with: letters, digits, '.', '_', '@' or '-'" />
      <TextField name="displayName" idPrefix="new-user" label="Display name" value={displayName} onChange={setDisplayName} error={create.error} autoComplete="off" hint="Optional: the name people see beside the user name (LOGIN policies read it as input.session.name)" />
      <TextField name="password" idPrefix="new-user" label="Password" type="password" value={password} onChange={setPassword} error={create.error} autoComplete="new-password" hint="At least 12 characters; tell it to them yourself: Gantry keeps only a hash and never shows it again" />
      <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>Create user</button></div>
    </form>
  );
}
