import { useState } from "react";

/**
 * The `source =` line to paste into a stack's code, with a copy button. The clipboard may be
 * refused (an insecure origin, a denied permission): then the text is selected for a manual copy.
 */
export function SourceAddress({ source, version }: { source: string; version: string | null }) {
  const snippet = `module "${source.split("/").at(-2) ?? "module"}" {\n  source  = "${source}"${version ? `\n  version = "~> ${version}"` : ""}\n}`;
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(source);
      setCopied("yes");
    } catch {
      const el = document.getElementById("module-source");
      if (el) window.getSelection()?.selectAllChildren(el);
      setCopied("no");
    }
  };
  return (
    <section aria-labelledby="source-h">
      <h2 id="source-h">Use it</h2>
      <p>Source address: <code id="module-source">{source}</code> <button type="button" onClick={() => void copy()}>Copy source address</button>{" "}
        <span role="status" className="muted">{copied === "yes" ? "Copied." : copied === "no" ? "The browser refused the clipboard: the address is selected, copy it with Ctrl+C." : ""}</span></p>
      <pre className="code" aria-label="example module block">{snippet}</pre>
    </section>
  );
}
