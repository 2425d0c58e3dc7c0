import type { EndpointOutput, Endpoints } from "@gantry/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call, meQuery } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";

type User = EndpointOutput<Endpoints["getUser"]>;

/**
 * A root admin sets someone's password (a forgotten one, a first one for the key-only admin).
 * The server ends every open session of the account (so whoever held the old password is out)
 * and leaves its API keys working; the page says both before the click.
 */
export function UserPasswordForm({ user }: { user: User }) {
  const qc = useQueryClient();
  const me = useQuery(meQuery());
  const own = me.data?.id === user.id;
  const [password, setPassword] = useState("");
  const set = useMutation({
    mutationFn: () => call("updateUser", { params: { id: user.id }, body: { password } }),
    // The typed password leaves the page once the server has it: it is never shown again.
    onSuccess: () => { setPassword(""); if (own) void qc.invalidateQueries({ queryKey: ["me"] }); },
  });
  return (
    <form className="edit" noValidate aria-label={`set a new password for ${user.username}`} onSubmit={(e) => { e.preventDefault(); set.mutate(); }}>
      <FormError error={set.error} fields={["password"]} />
      <TextField name="password" idPrefix="user" label="New password" type="password" value={password} onChange={(v) => { setPassword(v); set.reset(); }} error={set.error} autoComplete="new-password"
        hint={<>At least 12 characters. Setting it logs {user.username} out everywhere: every open session ends and they log in again with the new one{own ? " (this is your own account: this session ends too)" : ""}. Their API keys keep working; revoke them below if they should stop. Gantry keeps only a hash: tell them the password yourself, it is not shown again.</>} />
      <div className="actions"><button type="submit" className="primary" disabled={set.isPending}>Set a new password</button></div>
      {set.isSuccess && !set.error ? <p role="status">New password set for {user.username}; their sessions have ended.</p> : null}
    </form>
  );
}
