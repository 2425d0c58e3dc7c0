import type { EndpointOutput, Endpoints } from "@gantry/contract";

type ConfigElements = EndpointOutput<Endpoints["contextConfig"]>;

/** Variables and mounted files; write-only values never reach the browser, only their checksum. */
export function ConfigTable({ config }: { config: ConfigElements }) {
  if (config.variables.length === 0 && config.files.length === 0) return <p className="muted">No variables or mounted files.</p>;
  return (
    <table>
      <thead><tr><th scope="col">Variable or file</th><th scope="col">Value</th></tr></thead>
      <tbody>
        {config.variables.map((v) => <tr key={v.name}><td><code>{v.name}</code></td><td>{v.writeOnly ? <em className="muted">write-only (checksum {v.checksum.slice(0, 12)})</em> : <code>{v.value}</code>}</td></tr>)}
        {config.files.map((f) => <tr key={f.relativePath}><td><code>{f.relativePath}</code> (file)</td><td>{f.writeOnly ? <em className="muted">write-only</em> : `${atob(f.content ?? "").length} bytes`}</td></tr>)}
      </tbody>
    </table>
  );
}
