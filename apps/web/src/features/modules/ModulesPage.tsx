import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { NewLink } from "../../app/NewLink.js";
import { ErrorBox, Labels, Loading, TimeAgo } from "../../app/ui.js";

/** The private module registry: every module the person can read, with its newest version. */
export function ModulesPage() {
  const modules = useQuery({ queryKey: ["modules"], queryFn: () => call("listModules", { query: { limit: 1000 } }) });
  if (modules.error) return <ErrorBox error={modules.error} />;
  if (!modules.data) return <Loading what="modules" />;
  return (
    <>
      <h1>Modules</h1>
      <NewLink to="/new/module" label="New module" needed="write" />
      <p className="muted">Versioned Terraform modules served by Gantry's registry; a stack uses one with the source address shown on its page.</p>
      <table>
        <thead><tr><th scope="col">Module</th><th scope="col">Provider</th><th scope="col">Latest version</th><th scope="col">Space</th><th scope="col">Labels</th><th scope="col">Updated</th></tr></thead>
        <tbody>
          {modules.data.items.map((m) => (
            <tr key={m.id}>
              <td><Link to="/modules/$moduleId" params={{ moduleId: m.id }}>{m.namespace}/{m.name}</Link>{m.description ? <div className="muted">{m.description}</div> : null}</td>
              <td>{m.terraformProvider}</td>
              <td>{m.latestVersion ?? <span className="muted">none published</span>}</td>
              <td>{m.spaceId}</td>
              <td><Labels labels={m.labels} /></td>
              <td><TimeAgo at={m.updatedAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {modules.data.items.length === 0 ? <p className="muted">No modules yet: register one with New module, <code>gantry module create</code> or the Terraform provider.</p> : null}
    </>
  );
}
