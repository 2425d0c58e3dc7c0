import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "@tanstack/react-router";
import { DeleteSection } from "../../app/entity-form.js";
import { Fragment, useState } from "react";
import { allows, useRole } from "../../app/roles.js";
import { PolicyEditor } from "./PolicyEditor.js";
import { PolicySettings } from "./PolicySettings.js";
import { PolicyWarnings } from "./rego-version.js";
import { PolicyWorkbench } from "./PolicyWorkbench.js";
import { call } from "../../app/api.js";
import { ErrorBox, Facts, Labels, Loading } from "../../app/ui.js";

const KEYWORDS = new Set(["package", "import", "default", "not", "with", "as", "some", "every", "in", "if", "contains", "else", "true", "false", "null"]);

/** Rego with keywords, strings and comments marked, line by line. */
function Highlighted({ body }: { body: string }) {
  return (
    <pre className="code" aria-label="policy body">
      {body.split("\n").map((line, i) => {
        const hash = line.search(/#(?=(?:[^"]*"[^"]*")*[^"]*$)/);
        const code = hash >= 0 ? line.slice(0, hash) : line;
        const parts = code.split(/("(?:[^"\\]|\\.)*"|`[^`]*`|\b[a-z_]+\b)/g);
        return (
          <Fragment key={i}>
            {parts.map((p, j) => (p.startsWith('"') || p.startsWith("`") ? <span key={j} className="str">{p}</span> : KEYWORDS.has(p) ? <span key={j} className="kw">{p}</span> : p))}
            {hash >= 0 ? <span className="com">{line.slice(hash)}</span> : null}
            {"\n"}
          </Fragment>
        );
      })}
    </pre>
  );
}

export function PolicyPage() {
  const { policyId } = useParams({ from: "/policies/$policyId" });
  const policy = useQuery({ queryKey: ["policy", policyId], queryFn: () => call("getPolicy", { params: { id: policyId } }) });
  const role = useRole(policy.data?.spaceId);
  const [editing, setEditing] = useState(false);
  // The server's warnings on the last save from the editor (a GET does not repeat them).
  const [warnings, setWarnings] = useState<string[]>([]);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => call("deletePolicy", { params: { id: policyId } }),
    onSuccess: () => { qc.removeQueries({ queryKey: ["policy", policyId] }); void qc.invalidateQueries({ queryKey: ["policies"] }); void navigate({ to: "/policies" }); },
  });
  if (policy.error) return <ErrorBox error={policy.error} />;
  if (!policy.data) return <Loading what="the policy" />;
  const p = policy.data;
  return (
    <>
      <p className="muted"><Link to="/policies">Policies</Link></p>
      <h1>{p.name}</h1>
      <Facts items={[["Type", p.type], ["Space", p.spaceId], ["Rego", p.regoVersion], ["Labels", <Labels key="l" labels={p.labels} />]]} />
      {p.description ? <p>{p.description}</p> : null}
      {editing ? <PolicyEditor policy={p} onDone={(saved) => { setWarnings(saved?.warnings ?? []); setEditing(false); }} /> : (
        <>
          <PolicyWarnings heading={`Saved as ${p.regoVersion === "V0" ? "Rego v0" : "Rego v1"}, with a warning:`} warnings={warnings} />
          {allows(role, "admin") ? <div className="actions"><button type="button" className="primary" onClick={() => { setWarnings([]); setEditing(true); }}>Edit</button></div> : <p className="muted">Changing a policy needs the admin role in space {p.spaceId}.</p>}
          <Highlighted body={p.body} />
          <PolicyWorkbench key={p.version} policy={p} />
          {allows(role, "admin") ? <PolicySettings key={p.id} policy={p} /> : null}
          {allows(role, "admin") ? <DeleteSection name={p.name} what="policy" buttonLabel="Delete policy" consequence="Deleting detaches it from every stack and module: the runs it guarded are no longer checked by it." pending={remove.isPending} error={remove.error} onDelete={() => remove.mutate()} /> : null}
        </>
      )}
    </>
  );
}
