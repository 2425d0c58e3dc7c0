import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { call } from "../../app/api.js";

export interface QueueSample { at: number; queued: number; busy: number }

const KEEP = 120;

/**
 * Queue depth over the time the page is open: sampled from the overview every 3 s (Gantry keeps
 * no history of it; Prometheus at /metrics does, for longer spans).
 */
export function useQueueHistory(): QueueSample[] {
  const overview = useQuery({ queryKey: ["overview"], queryFn: () => call("getOverview", {}), refetchInterval: 3_000 });
  const [samples, setSamples] = useState<QueueSample[]>([]);
  const at = overview.dataUpdatedAt;
  useEffect(() => {
    const o = overview.data;
    if (!o) return;
    const queued = o.workerPools.reduce((n, p) => n + p.queued, 0);
    const busy = o.workerPools.reduce((n, p) => n + p.busy, 0);
    setSamples((s) => [...s.slice(-(KEEP - 1)), { at, queued, busy }]);
  }, [at, overview.data]);
  return samples;
}

/** Runs waiting for a worker (line) and busy workers (dashed), over the last few minutes. */
export function QueueDepthChart({ history }: { history: QueueSample[] }) {
  const W = 600, H = 120, P = 24;
  const max = Math.max(1, ...history.map((s) => Math.max(s.queued, s.busy)));
  const x = (i: number) => P + (i / Math.max(1, KEEP - 1)) * (W - 2 * P);
  const y = (v: number) => H - P - (v / max) * (H - 2 * P);
  const path = (k: "queued" | "busy") => history.map((s, i) => `${i ? "L" : "M"} ${x(i)} ${y(s[k])}`).join(" ");
  const last = history.at(-1);
  const summary = last ? `Queue depth now ${last.queued} run${last.queued === 1 ? "" : "s"}, ${last.busy} busy worker${last.busy === 1 ? "" : "s"}; highest in the last ${history.length} samples: ${max}.` : "Measuring queue depth…";
  return (
    <figure style={{ margin: "0 0 12px" }}>
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line className="axis" x1={P} y1={H - P} x2={W - P} y2={H - P} />
        <line className="axis" x1={P} y1={P} x2={P} y2={H - P} />
        <text x={2} y={P + 4}>{max}</text><text x={2} y={H - P}>0</text>
        {history.length > 1 ? <path className="line" d={path("queued")} /> : null}
        {history.length > 1 ? <path className="line" style={{ strokeDasharray: "4 3", stroke: "var(--ok)" }} d={path("busy")} /> : null}
      </svg>
      <figcaption className="muted">{summary} Solid: queued runs; dashed: busy workers.</figcaption>
    </figure>
  );
}
