import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { NewLink } from "../../app/NewLink.js";
import { ErrorBox, Labels, Loading, TimeAgo } from "../../app/ui.js";

export function PoliciesPage() {
  const policies = useQuery({ queryKey: ["policies"], queryFn: () => call("listPolicies", { query: { limit: 1000 } }) });
  if (policies.error) return <ErrorBox error={policies.error} />;
  if (!policies.data) return <Loading what="policies" />;
  return (
    <>
      <h1>Policies</h1>
      <NewLink to="/new/policy" label="New policy" needed="admin" />
      <table>
        <thead><tr><th scope="col">Policy</th><th scope="col">Type</th><th scope="col">Space</th><th scope="col">Labels</th><th scope="col">Updated</th></tr></thead>
        <tbody>
          {policies.data.items.map((p) => (
            <tr key={p.id}>
              <td><Link to="/policies/$policyId" params={{ policyId: p.id }}>{p.name}</Link></td>
              <td>{p.type}</td>
              <td>{p.spaceId}</td>
              <td><Labels labels={p.labels} /></td>
              <td><TimeAgo at={p.updatedAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {policies.data.items.length === 0 ? <p className="muted">No policies yet.</p> : null}
    </>
  );
}
