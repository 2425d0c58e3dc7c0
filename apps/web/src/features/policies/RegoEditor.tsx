import { useEffect, useRef, useState } from "react";
import type { EditorProblem } from "./editor-setup.js";

/**
 * A Rego editor: CodeMirror 6, fetched on first use (its own chunk), over a plain textarea until
 * it arrives. The textarea is also what a person gets if the chunk fails to load.
 */
export function RegoEditor({ value, label, onChange, check }: { value: string; label: string; onChange: (v: string) => void; check?: (doc: string) => Promise<EditorProblem[]> }) {
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const latest = useRef({ onChange, check });
  latest.current = { onChange, check };
  useEffect(() => {
    let view: { destroy(): void } | undefined;
    let cancelled = false;
    void import("./editor-setup.js").then(({ createRegoEditor }) => {
      if (cancelled || !host.current) return;
      view = createRegoEditor(host.current, {
        doc: value,
        label,
        onChange: (d) => latest.current.onChange(d),
        check: latest.current.check ? (d) => latest.current.check!(d) : undefined,
      });
      setReady(true);
    });
    return () => { cancelled = true; view?.destroy(); };
    // The editor owns the text once created; a new value from outside is not pushed into it.
  }, []);
  return (
    <div className="editor">
      <div ref={host} />
      {ready ? null : <textarea aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} rows={16} style={{ width: "100%", fontFamily: "monospace" }} />}
    </div>
  );
}
