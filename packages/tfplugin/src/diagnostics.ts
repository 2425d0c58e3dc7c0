import type { AttributePath, Diagnostic, Diagnostics } from "./types.js";

/** Creates an empty diagnostics collector. */
export function createDiagnostics(): Diagnostics & { add(d: Diagnostic): void } {
  const list: Diagnostic[] = [];
  const push = (severity: Diagnostic["severity"], summary: string, detail?: string, path?: AttributePath): void => {
    list.push({ severity, summary, ...(detail !== undefined ? { detail } : {}), ...(path ? { path } : {}) });
  };
  return {
    error: (summary, detail, path) => push("error", summary, detail, path),
    warning: (summary, detail, path) => push("warning", summary, detail, path),
    add: (d) => list.push(d),
    get list() {
      return list;
    },
    get hasErrors() {
      return list.some((d) => d.severity === "error");
    },
  };
}

/** An error diagnostic, for validators and handlers that build diagnostics by hand. */
export function errorAt(path: AttributePath, summary: string, detail?: string): Diagnostic {
  return { severity: "error", summary, path, ...(detail !== undefined ? { detail } : {}) };
}
