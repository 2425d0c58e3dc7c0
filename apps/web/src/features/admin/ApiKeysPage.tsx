import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading } from "../../app/ui.js";
import { ApiKeyCreateForm } from "./ApiKeyCreateForm.js";
import { ApiKeysTable } from "./ApiKeysTable.js";

/** The person's API keys (every key for a root admin); a new key's secret is shown once, here. */
export function ApiKeysPage() {
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ["api-keys"], queryFn: () => call("listApiKeys", {}) });
  const revoke = useMutation({ mutationFn: (id: string) => call("deleteApiKey", { params: { id } }), onSuccess: () => void qc.invalidateQueries({ queryKey: ["api-keys"] }) });
  return (
    <>
      <h1>API keys</h1>
      <p className="muted">For terraform reading Gantry's registry only, a <Link to="/registry-tokens">registry token</Link> holds less power than an API key.</p>
      <ApiKeyCreateForm idPrefix="key" />
      {keys.error ? <ErrorBox error={keys.error} /> : !keys.data ? <Loading what="API keys" /> : (
        <ApiKeysTable keys={keys.data.items} withUser revokeLabel={(k) => `Revoke ${k.name}`} onRevoke={(k) => revoke.mutate(k.id)} pending={revoke.isPending} />
      )}
      {revoke.error ? <ErrorBox error={revoke.error} /> : null}
    </>
  );
}
