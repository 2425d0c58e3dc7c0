import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { GantryApiError } from "@gantry/contract/browser";
import { useState } from "react";
import { call } from "../../app/api.js";
import { FormError, messagesFor, TextField } from "../../app/forms.js";
import { base64Of } from "../../app/upload.js";

/** A release directory's files sorted the way the API takes them (the CLI's `--dir` does the same). */
interface ReleaseFiles { archives: File[]; shasums: File | undefined; signature: File | undefined; other: File[] }

export function sortReleaseFiles(files: File[]): ReleaseFiles {
  const out: ReleaseFiles = { archives: [], shasums: undefined, signature: undefined, other: [] };
  for (const f of files) {
    if (f.name.endsWith(".zip")) out.archives.push(f);
    else if (f.name.endsWith("SHA256SUMS.sig")) out.signature = f;
    else if (f.name.endsWith("SHA256SUMS")) out.shasums = f;
    else out.other.push(f);
  }
  return out;
}

const typeMissing = new GantryApiError(422, "invalid", "the provider type is missing", { issues: [{ path: ["type"], message: "enter the provider type, e.g. widgets for terraform-provider-widgets" }] });

/** The version a goreleaser zip name carries: terraform-provider-<type>_<version>_<os>_<arch>.zip. */
const versionIn = (name: string, type: string) => new RegExp(`^terraform-provider-${type.replace(/\W/g, "\\$&")}_([^_]+)_[^_]+_[^_]+\\.zip$`).exec(name)?.[1];

/**
 * Publishing a provider version from the files a release build wrote (the zips, SHA256SUMS and
 * its detached signature), as `gantry provider publish --dir` does. The server checks every zip
 * against SHA256SUMS and the signature against the namespace's keys; its refusals show at the
 * field they concern. `type` fixed: the form on a provider's page; free: the namespace's page,
 * where a first version creates the provider.
 */
export function PublishProviderVersion({ namespace, type: fixedType }: { namespace: string; type?: string }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [type, setType] = useState(fixedType ?? "");
  const [version, setVersion] = useState("");
  const [protocols, setProtocols] = useState<("5.0" | "6.0")[]>(["5.0"]);
  const [files, setFiles] = useState<File[]>([]);
  const sorted = sortReleaseFiles(files);
  const publish = useMutation({
    // The type is part of the address, so an empty one cannot reach the server to be refused there.
    mutationFn: async () => (type.trim() === "" ? Promise.reject(typeMissing) : call("publishProviderVersion", {
      params: { id: namespace, type },
      body: {
        version, protocols,
        shasums: sorted.shasums ? await sorted.shasums.text() : "",
        shasumsSignature: sorted.signature ? await base64Of(sorted.signature) : "",
        archives: await Promise.all(sorted.archives.map(async (f) => ({ filename: f.name, contentBase64: await base64Of(f) }))),
      },
    })),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ["provider-versions", namespace, type] });
      void qc.invalidateQueries({ queryKey: ["providers"] });
      setFiles([]);
      setVersion("");
      if (!fixedType) void navigate({ to: "/providers/$namespace/$type", params: { namespace, type: r.version.type } });
    },
  });
  const filesId = `publish-${fixedType ?? "any"}-files`;
  const fileProblems = ["shasums", "shasumsSignature", "archives"].flatMap((f) => messagesFor(publish.error, f).map((m) => `${f}: ${m}`));
  const toggle = (p: "5.0" | "6.0", on: boolean) => setProtocols((ps) => (on ? [...new Set([...ps, p])].sort() : ps.filter((x) => x !== p)));
  return (
    <form className="edit" noValidate aria-label="publish provider version" onSubmit={(e) => { e.preventDefault(); publish.mutate(); }}>
      <FormError error={publish.error} fields={["version", "protocols", "shasums", "shasumsSignature", "archives", "type"]} />
      {fixedType ? null : <TextField name="type" idPrefix="publish" label="Provider type" value={type} onChange={setType} error={publish.error} hint="the name after the namespace in source addresses: terraform-provider-<type>" />}
      <div className="field">
        <label htmlFor={filesId}>Release files</label>
        <input
          id={filesId} type="file" multiple accept=".zip,.sig,application/zip,application/octet-stream,text/plain"
          aria-invalid={fileProblems.length > 0 || undefined}
          aria-describedby={[`${filesId}-hint`, fileProblems.length ? `${filesId}-error` : ""].filter(Boolean).join(" ")}
          onChange={(e) => {
            const picked = [...(e.target.files ?? [])];
            setFiles(picked);
            const found = picked.map((f) => versionIn(f.name, type)).find(Boolean);
            if (found && !version) setVersion(found);
          }}
        />
        <p id={`${filesId}-hint`} className="hint muted">
          Pick every file of the release directory: one <code>terraform-provider-&lt;type&gt;_&lt;version&gt;_&lt;os&gt;_&lt;arch&gt;.zip</code> per platform, the <code>SHA256SUMS</code> file and its detached signature <code>SHA256SUMS.sig</code>.
        </p>
        {files.length ? (
          <p className="muted" aria-live="polite">
            {sorted.archives.length} zip{sorted.archives.length === 1 ? "" : "s"}; SHA256SUMS {sorted.shasums ? sorted.shasums.name : "missing"}; signature {sorted.signature ? sorted.signature.name : "missing"}
            {sorted.other.length ? `; not sent: ${sorted.other.map((f) => f.name).join(", ")}` : ""}
          </p>
        ) : null}
        {fileProblems.length ? <p id={`${filesId}-error`} className="field-error">{fileProblems.join("; ")}</p> : null}
      </div>
      <TextField name="version" idPrefix={`publish-${fixedType ?? "any"}`} label="Version" value={version} onChange={setVersion} error={publish.error} hint="semantic version, e.g. 1.2.0 (taken from the zips' names when they carry it)" />
      <fieldset className="field">
        <legend>Plugin protocols the builds speak</legend>
        {(["5.0", "6.0"] as const).map((p) => (
          <label key={p} className="inline"><input type="checkbox" checked={protocols.includes(p)} onChange={(e) => toggle(p, e.target.checked)} />{p}</label>
        ))}
        {messagesFor(publish.error, "protocols").length ? <p className="field-error">{messagesFor(publish.error, "protocols").join("; ")}</p> : null}
      </fieldset>
      <div className="actions"><button type="submit" className="primary" disabled={publish.isPending}>{publish.isPending ? "Publishing…" : "Publish version"}</button></div>
      {publish.data ? <p role="status">{publish.data.alreadyPublished ? "Already published" : "Published"} {namespace}/{type} {publish.data.version.version}, signed by <code>{publish.data.version.keyId}</code>.</p> : null}
    </form>
  );
}
