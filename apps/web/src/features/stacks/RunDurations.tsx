import type { Run } from "@gantry/contract";
import { stateTone } from "../../app/ui.js";

/** Run duration over time for one stack: one bar per finished run, oldest on the left. */
export function RunDurations({ runs }: { runs: Run[] }) {
  const done = runs.filter((r) => stateTone(r.state) === "ok" || stateTone(r.state) === "bad").slice(0, 40).reverse();
  if (done.length < 2) return null;
  const ms = done.map((r) => Math.max(0, Date.parse(r.updatedAt) - Date.parse(r.createdAt)));
  const max = Math.max(...ms, 1);
  const summary = `Durations of the last ${done.length} finished runs, from ${Math.round(Math.min(...ms) / 100) / 10} s to ${Math.round(max / 100) / 10} s.`;
  return (
    <figure aria-label={summary} style={{ margin: "0 0 12px" }}>
      <div className="bar" role="img" aria-label={summary}>
        {done.map((r, i) => <span key={r.id} className={stateTone(r.state) === "bad" ? "bad" : ""} style={{ height: `${Math.max(4, (ms[i]! / max) * 100)}%` }} title={`${r.id}: ${Math.round(ms[i]! / 100) / 10} s, ${r.state}`} />)}
      </div>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}
