import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { call } from "../../app/api.js";
import { CheckboxField, FormError, TextField } from "../../app/forms.js";
import { ErrorBox, Loading } from "../../app/ui.js";

type Owner = { kind: "stack" | "context"; id: string };

/** The endpoints of one owner kind: stacks and contexts carry the same config elements. */
const api = {
  stack: { list: "stackConfig", putVariable: "putStackVariable", deleteVariable: "deleteStackVariable", putFile: "putStackFile", deleteFile: "deleteStackFile" },
  context: { list: "contextConfig", putVariable: "putContextVariable", deleteVariable: "deleteContextVariable", putFile: "putContextFile", deleteFile: "deleteContextFile" },
} as const;

/** Base64 of UTF-8 text, as the files endpoint takes it. */
function base64(text: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * Adds, replaces and deletes environment variables and mounted files. A write-only value goes
 * to the server once and never comes back: the table shows it as write-only with its checksum,
 * and replacing it means typing a new value.
 */
export function ConfigEditor({ owner }: { owner: Owner }) {
  const qc = useQueryClient();
  const ep = api[owner.kind];
  const key = [`${owner.kind}-config`, owner.id];
  const config = useQuery({ queryKey: key, queryFn: () => call(ep.list, { params: { id: owner.id } }) });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const [variable, setVariable] = useState({ name: "", value: "", writeOnly: false });
  const [file, setFile] = useState({ relativePath: "", content: "", writeOnly: false });
  const putVariable = useMutation({
    mutationFn: () => call(ep.putVariable, { params: { id: owner.id, name: variable.name }, body: { value: variable.value, writeOnly: variable.writeOnly } }),
    onSuccess: () => { setVariable({ name: "", value: "", writeOnly: false }); refresh(); },
  });
  const putFile = useMutation({
    mutationFn: () => call(ep.putFile, { params: { id: owner.id }, body: { relativePath: file.relativePath, content: base64(file.content), writeOnly: file.writeOnly } }),
    onSuccess: () => { setFile({ relativePath: "", content: "", writeOnly: false }); refresh(); },
  });
  const remove = useMutation({
    mutationFn: (what: { name: string } | { path: string }) => ("name" in what
      ? call(ep.deleteVariable, { params: { id: owner.id, name: what.name } })
      : call(ep.deleteFile, { params: { id: owner.id }, query: { path: what.path } })),
    onSuccess: refresh,
  });
  if (config.error) return <ErrorBox error={config.error} />;
  if (!config.data) return <Loading what="the environment" />;
  const { variables, files } = config.data;
  return (
    <>
      {variables.length + files.length === 0 ? <p className="muted">No variables or mounted files yet.</p> : (
        <table aria-label="variables and files">
          <thead><tr><th scope="col">Variable or file</th><th scope="col">Value</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {variables.map((v) => (
              <tr key={`v/${v.name}`}>
                <td><code>{v.name}</code></td>
                <td>{v.writeOnly ? <em className="muted">write-only (checksum {v.checksum.slice(0, 12)})</em> : <code>{v.value}</code>}</td>
                <td>
                  <button type="button" className="link" onClick={() => setVariable({ name: v.name, value: v.writeOnly ? "" : v.value ?? "", writeOnly: v.writeOnly })}>Replace {v.name}</button>{" "}
                  <button type="button" className="link danger" onClick={() => remove.mutate({ name: v.name })}>Delete {v.name}</button>
                </td>
              </tr>
            ))}
            {files.map((f) => (
              <tr key={`f/${f.relativePath}`}>
                <td><code>{f.relativePath}</code> (file)</td>
                <td>{f.writeOnly ? <em className="muted">write-only (checksum {f.checksum.slice(0, 12)})</em> : `${atob(f.content ?? "").length} bytes`}</td>
                <td><button type="button" className="link danger" onClick={() => remove.mutate({ path: f.relativePath })}>Delete {f.relativePath}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {remove.error ? <ErrorBox error={remove.error} /> : null}
      <div className="grid2">
        <form className="edit" noValidate aria-label="set a variable" onSubmit={(e) => { e.preventDefault(); putVariable.mutate(); }}>
          <h3>Set a variable</h3>
          <FormError error={putVariable.error} fields={["name", "value", "writeOnly"]} />
          <TextField name="name" label="Variable name" value={variable.name} onChange={(name) => setVariable((v) => ({ ...v, name }))} error={putVariable.error} idPrefix="variable" hint="TF_VAR_x reaches terraform as the variable x" />
          <TextField name="value" label="Value" type={variable.writeOnly ? "password" : "text"} autoComplete="off" value={variable.value} onChange={(value) => setVariable((v) => ({ ...v, value }))} error={putVariable.error} idPrefix="variable" />
          <CheckboxField name="writeOnly" label="Write-only (a secret: never shown again, masked in logs)" checked={variable.writeOnly} onChange={(writeOnly) => setVariable((v) => ({ ...v, writeOnly }))} error={putVariable.error} idPrefix="variable" />
          <button type="submit" disabled={!variable.name || putVariable.isPending}>Save variable</button>
        </form>
        <form className="edit" noValidate aria-label="mount a file" onSubmit={(e) => { e.preventDefault(); putFile.mutate(); }}>
          <h3>Mount a file</h3>
          <FormError error={putFile.error} fields={["relativePath", "content", "writeOnly"]} />
          <TextField name="relativePath" label="Path in the workspace" value={file.relativePath} onChange={(relativePath) => setFile((f) => ({ ...f, relativePath }))} error={putFile.error} idPrefix="file" hint="relative, e.g. config/app.json" />
          <TextField name="content" label="File content" multiline value={file.content} onChange={(content) => setFile((f) => ({ ...f, content }))} error={putFile.error} idPrefix="file" />
          <CheckboxField name="fileWriteOnly" label="Write-only file" checked={file.writeOnly} onChange={(writeOnly) => setFile((f) => ({ ...f, writeOnly }))} error={putFile.error} idPrefix="file" />
          <button type="submit" disabled={!file.relativePath || putFile.isPending}>Save file</button>
        </form>
      </div>
    </>
  );
}
