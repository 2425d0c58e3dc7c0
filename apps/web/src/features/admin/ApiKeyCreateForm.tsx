import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, TextField } from "../../app/forms.js";

/**
 * Days typed as text: a number goes to the server as a number, anything else as typed, so the
 * server's refusal ("expected number") reaches the field instead of the key silently never
 * expiring (a browser number input answers "" for "1e", which would read as "never").
 */
const daysOrText = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number));

/**
 * Creates an API key (for the person, or for `forUser` when a root admin makes one for someone
 * else) with an optional lifetime in days, and shows its secret once: Gantry keeps only a hash.
 */
export function ApiKeyCreateForm({ forUser, idPrefix }: { forUser?: { id: string; username: string }; idPrefix: string }) {
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: () => call("createApiKey", { body: { name, ...(forUser ? { userId: forUser.id } : {}), ...(days.trim() === "" ? {} : { expiresInDays: daysOrText(days.trim()) }) } }),
    onSuccess: (k) => { setCreated({ name: k.apiKey.name, secret: k.secret }); setName(""); setDays(""); void qc.invalidateQueries({ queryKey: ["api-keys"] }); },
  });
  const label = forUser ? `create a key for ${forUser.username}` : "create an API key";
  return (
    <>
      {created ? (
        <div className="secret-once" role="status">
          <p><strong>Key {created.name} created{forUser ? ` for ${forUser.username}` : ""}.</strong> Copy its secret now: Gantry keeps only a hash and will not show it again.{forUser ? ` Whoever holds it acts as ${forUser.username}, with their roles.` : ""}</p>
          <code>{created.secret}</code> <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      ) : null}
      <form className="edit" noValidate aria-label={label} onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <FormError error={create.error} fields={["name", "expiresInDays"]} />
        <TextField name="name" idPrefix={idPrefix} label="New key name" value={name} onChange={setName} error={create.error} autoComplete="off" />
        <TextField name="expiresInDays" idPrefix={idPrefix} label="Expires in (days)" inputMode="numeric" value={days} onChange={setDays} error={create.error} autoComplete="off"
          hint="1 to 3650 days; leave it empty for a key that never expires. An expired key stops working; revoke a key to stop it sooner." />
        <div className="actions"><button type="submit" className="primary" disabled={create.isPending}>{forUser ? `Create a key for ${forUser.username}` : "Create key"}</button></div>
      </form>
    </>
  );
}
