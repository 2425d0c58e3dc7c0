import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Facts, Labels, Loading, TimeAgo } from "../../app/ui.js";
import { ConfigTable } from "./ConfigTable.js";
import { ContextAdmin } from "./ContextAdmin.js";
import { NewLink } from "../../app/NewLink.js";
import { allows, useRole } from "../../app/roles.js";

/** Every context the person can read; labels `autoattach:X` attach it to stacks labelled X. */
export function ContextsPage() {
  const contexts = useQuery({ queryKey: ["contexts"], queryFn: () => call("listContexts", { query: { limit: 1000 } }) });
  if (contexts.error) return <ErrorBox error={contexts.error} />;
  if (!contexts.data) return <Loading what="contexts" />;
  return (
    <>
      <h1>Contexts</h1>
      <NewLink to="/new/context" label="New context" needed="admin" />
      <table>
        <thead><tr><th scope="col">Context</th><th scope="col">Space</th><th scope="col">Labels</th><th scope="col">Updated</th></tr></thead>
        <tbody>
          {contexts.data.items.map((c) => (
            <tr key={c.id}>
              <td><Link to="/contexts/$contextId" params={{ contextId: c.id }}>{c.name}</Link></td>
              <td>{c.spaceId}</td><td><Labels labels={c.labels} /></td><td><TimeAgo at={c.updatedAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {contexts.data.items.length === 0 ? <p className="muted">No contexts yet.</p> : null}
    </>
  );
}

export function ContextPage() {
  const { contextId } = useParams({ from: "/contexts/$contextId" });
  const context = useQuery({ queryKey: ["context", contextId], queryFn: () => call("getContext", { params: { id: contextId } }) });
  const config = useQuery({ queryKey: ["context-config", contextId], queryFn: () => call("contextConfig", { params: { id: contextId } }), enabled: !!context.data });
  const role = useRole(context.data?.spaceId);
  if (context.error) return <ErrorBox error={context.error} />;
  if (!context.data) return <Loading what="the context" />;
  const c = context.data;
  const hooks = Object.entries(c.hooks).filter(([, cmds]) => Array.isArray(cmds) && cmds.length > 0);
  return (
    <>
      <p className="muted"><Link to="/contexts">Contexts</Link></p>
      <h1>{c.name}</h1>
      {c.description ? <p>{c.description}</p> : null}
      <Facts items={[["Id", c.id], ["Space", c.spaceId], ["Labels", <Labels key="l" labels={c.labels} />], ["Hooks", hooks.length ? hooks.map(([k, v]) => `${k}: ${(v as string[]).join("; ")}`).join(" · ") : "none"]]} />
      {allows(role, "admin") ? <ContextAdmin context={c} /> : (
        <>
          <h2>Environment</h2>
          {config.data ? <ConfigTable config={config.data} /> : config.error ? <ErrorBox error={config.error} /> : <Loading what="the environment" />}
        </>
      )}
    </>
  );
}
