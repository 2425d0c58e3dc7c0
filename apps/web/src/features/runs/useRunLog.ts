import type { RunLogEntry } from "@gantry/contract";
import { useEffect, useRef, useState } from "react";

/** One line of a run's log, with the phase that wrote it. */
export interface LogLine {
  phase: string;
  text: string;
}

export interface RunLog {
  lines: LogLine[];
  /** `live` while the stream is open, `reconnecting` after it dropped, `ended` once the run is terminal. */
  status: "connecting" | "live" | "reconnecting" | "ended";
}

/**
 * Follows a run's log over server-sent events. The browser's EventSource sends the session
 * cookie and, after a drop (a server restart), reconnects with `Last-Event-ID`, so the server
 * resends from the last line seen and none is missed. Lines arriving in a burst are rendered
 * once per animation frame.
 */
export function useRunLog(runId: string, onState: (state: string) => void): RunLog {
  const [log, setLog] = useState<RunLog>({ lines: [], status: "connecting" });
  const stateCb = useRef(onState);
  stateCb.current = onState;
  useEffect(() => {
    const all: LogLine[] = [];
    let last = 0;
    let frame = 0;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const flush = () => {
      frame = 0;
      setLog((l) => ({ ...l, lines: all.slice() }));
    };
    const open = () => {
      // The browser resends Last-Event-ID on its own reconnects; a stream it gave up on (an error
      // answer while the server restarts) is reopened here from the last line seen.
      const s = new EventSource(`/api/v1/runs/${encodeURIComponent(runId)}/logs/stream${last ? `?after=${last}` : ""}`);
      source = s;
      s.addEventListener("open", () => setLog((l) => ({ ...l, status: "live" })));
      s.addEventListener("error", () => {
        setLog((l) => (l.status === "ended" ? l : { ...l, status: "reconnecting" }));
        if (s.readyState === EventSource.CLOSED && !done) retry = setTimeout(open, 2_000);
      });
      s.addEventListener("log", (e) => {
        const entry = JSON.parse((e as MessageEvent<string>).data) as RunLogEntry;
        if (entry.seq <= last) return;
        last = entry.seq;
        const text = entry.text.endsWith("\n") ? entry.text.slice(0, -1) : entry.text;
        for (const line of text.split("\n")) all.push({ phase: entry.phase, text: line });
        frame ||= requestAnimationFrame(flush);
      });
      s.addEventListener("state", (e) => stateCb.current((JSON.parse((e as MessageEvent<string>).data) as { state: string }).state));
      s.addEventListener("end", () => {
        done = true;
        s.close();
        if (frame) cancelAnimationFrame(frame);
        flush();
        setLog((l) => ({ ...l, status: "ended" }));
      });
    };
    open();
    return () => {
      done = true;
      source?.close();
      clearTimeout(retry);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [runId]);
  return log;
}
