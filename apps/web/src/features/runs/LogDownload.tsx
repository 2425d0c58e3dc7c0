import { useMutation } from "@tanstack/react-query";
import { call } from "../../app/api.js";
import { saveAsFile } from "../../app/download.js";

/**
 * Saves a run's whole stored log as a text file, as `gantry run logs` prints it: every entry in
 * order (secrets already masked by the server), a `--- PHASE` line where the phase changes, ANSI
 * colours kept (`less -R` shows them). The page's log view holds what the live stream brought;
 * this reads the stored entries page by page (the server answers up to 10,000 a request), so the
 * file is complete even for a page opened mid-run or a log longer than the view was fed.
 */
export function LogDownload({ runId }: { runId: string }) {
  const download = useMutation({
    mutationFn: async () => {
      const parts: string[] = [];
      let after = 0;
      let phase: string | undefined;
      let finished = false;
      let count = 0;
      for (;;) {
        const page = await call("runLogs", { params: { id: runId }, query: { after } });
        finished = page.finished;
        if (page.entries.length === 0) break;
        for (const e of page.entries) {
          if (e.phase !== phase) parts.push(`--- ${e.phase}\n`);
          phase = e.phase;
          parts.push(e.text.endsWith("\n") ? e.text : `${e.text}\n`);
          after = Math.max(after, e.seq);
        }
        count += page.entries.length;
      }
      saveAsFile(`run-${runId}.log`, parts.join(""), "text/plain");
      // Only the count is kept as the mutation's result, not the log.
      return { count, finished };
    },
  });
  return (
    <>
      <button type="button" disabled={download.isPending} onClick={() => download.mutate()}>{download.isPending ? "Preparing the log…" : "Download the full log"}</button>
      {download.error ? <span role="alert" className="error">Not downloaded: {download.error.message}</span> : null}
      {download.data ? (
        <span role="status" className="muted">
          Saved {download.data.count} log entr{download.data.count === 1 ? "y" : "ies"}{download.data.finished ? "" : " (the run is still going: the file holds the log so far)"}.
        </span>
      ) : null}
    </>
  );
}
