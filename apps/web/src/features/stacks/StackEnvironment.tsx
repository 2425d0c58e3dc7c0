import type { AppliedEntity, EndpointOutput, Endpoints } from "@gantry/contract";
import { useQueries, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call } from "../../app/api.js";
import { ErrorBox, Loading } from "../../app/ui.js";

type Config = EndpointOutput<Endpoints["stackConfig"]>;

/**
 * What a run of the stack sees: the stack's own variables and files, then those of each context
 * that applies (attached or auto-attached, in the order the server explains them). Write-only
 * values never reach the browser: they show as write-only with their checksum.
 */
export function StackEnvironment({ stackId, contexts }: { stackId: string; contexts: AppliedEntity[] | undefined }) {
  const own = useQuery({ queryKey: ["stack-config", stackId], queryFn: () => call("stackConfig", { params: { id: stackId } }) });
  const fromContexts = useQueries({
    queries: (contexts ?? []).map((c) => ({ queryKey: ["context-config", c.id], queryFn: () => call("contextConfig", { params: { id: c.id } }) })),
  });
  if (own.error) return <ErrorBox error={own.error} />;
  if (!own.data) return <Loading what="the environment" />;
  const sources: { from: string | null; config: Config }[] = [{ from: null, config: own.data }];
  (contexts ?? []).forEach((c, i) => { const d = fromContexts[i]?.data; if (d) sources.push({ from: c.id, config: d }); });
  const rows = sources.flatMap(({ from, config }) => [
    ...config.variables.map((v) => ({ key: `${from ?? ""}/v/${v.name}`, name: v.name, file: false, from, value: v.writeOnly ? <em className="muted">write-only (checksum {v.checksum.slice(0, 12)})</em> : <code>{v.value}</code> })),
    ...config.files.map((f) => ({ key: `${from ?? ""}/f/${f.relativePath}`, name: f.relativePath, file: true, from, value: f.writeOnly ? <em className="muted">write-only</em> : <span>{atob(f.content ?? "").length} bytes</span> })),
  ]);
  if (rows.length === 0) return <p className="muted">No variables or mounted files, on the stack or its contexts.</p>;
  return (
    <table>
      <thead><tr><th scope="col">Variable or file</th><th scope="col">Value</th><th scope="col">From</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td><code>{r.name}</code>{r.file ? " (file)" : ""}</td>
            <td>{r.value}</td>
            <td>{r.from ? <Link to="/contexts/$contextId" params={{ contextId: r.from }}>context {r.from}</Link> : "the stack"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
