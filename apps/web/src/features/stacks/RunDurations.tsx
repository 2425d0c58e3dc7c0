import type { Run } from "@gantry/contract";
import { stateTone } from "../../app/ui.js";

const W = 900, H = 180;
const M = { left: 56, right: 16, top: 12, bottom: 44 };
const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;

// Formatters made once (a new one per call is slow).
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const day = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "850 ms", "42 s", "3.5 min", "1.2 h": durations read in the unit that fits them. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (s < 90) return `${Math.round(s * 10) / 10} s`;
  if (s < 5400) return `${Math.round((s / 60) * 10) / 10} min`;
  return `${Math.round((s / 3600) * 10) / 10} h`;
}

/**
 * Labels for the time axis: dates when the runs span days, times of day (the first, and any
 * on a new day, with the date) when they fit in one, with seconds when they fit in minutes.
 */
function timeTicks(from: number, to: number): { at: number; label: string }[] {
  const span = to - from;
  const n = 4;
  return Array.from({ length: n + 1 }, (_, i) => {
    const at = from + (span * i) / n;
    const newDay = i === 0 || new Date(at).getDate() !== new Date(at - span / n).getDate();
    const label = span >= 2 * 86_400_000 ? day.format(at) : newDay ? dayAndTime.format(at) : span < 600_000 ? timeWithSeconds.format(at) : timeOfDay.format(at);
    return { at, label };
  });
}

/**
 * Run duration over time for one stack: each finished run (of the last 50) at the time it was
 * created, its height the time it took; failed runs are squares, the others dots. Labelled axes
 * (time started, duration), colours from the page's scheme (light and dark), and the same
 * numbers as a table for screen readers and anyone who would rather read them.
 */
export function RunDurations({ runs }: { runs: Run[] }) {
  const done = runs.filter((r) => stateTone(r.state) === "ok" || stateTone(r.state) === "bad").slice(0, 40).reverse();
  if (done.length < 2) return <p className="muted chart-empty">The duration chart appears after two runs have finished.</p>;
  const points = done.map((r) => ({ run: r, at: Date.parse(r.createdAt), ms: Math.max(0, Date.parse(r.updatedAt) - Date.parse(r.createdAt)), failed: stateTone(r.state) === "bad" }));
  const first = points[0]!.at, last = points[points.length - 1]!.at;
  // One instant (or nearly) for every run: give the axis a minute so the points spread.
  const from = last - first < 60_000 ? first - 30_000 : first, to = last - first < 60_000 ? last + 30_000 : last;
  const max = Math.max(...points.map((p) => p.ms), 1);
  const x = (at: number) => M.left + ((at - from) / (to - from)) * plotW;
  const y = (ms: number) => M.top + plotH - (ms / max) * plotH;
  const summary = `Durations of the last ${done.length} finished runs, started ${exact.format(first)} to ${exact.format(last)}, from ${formatDuration(Math.min(...points.map((p) => p.ms)))} to ${formatDuration(max)}${points.some((p) => p.failed) ? `; ${points.filter((p) => p.failed).length} failed` : ""}.`;
  return (
    <figure className="durations">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line className="axis" x1={M.left} y1={M.top + plotH} x2={M.left + plotW} y2={M.top + plotH} />
        <line className="axis" x1={M.left} y1={M.top} x2={M.left} y2={M.top + plotH} />
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line className="grid" x1={M.left} x2={M.left + plotW} y1={y(max * f)} y2={y(max * f)} />
            <text x={M.left - 6} y={y(max * f) + 4} textAnchor="end">{formatDuration(max * f)}</text>
          </g>
        ))}
        {timeTicks(from, to).map((t, i, all) => (
          <text key={t.at} x={x(t.at)} y={M.top + plotH + 16} textAnchor={i === 0 ? "start" : i === all.length - 1 ? "end" : "middle"}>{t.label}</text>
        ))}
        <text x={M.left + plotW / 2} y={H - 4} textAnchor="middle" className="axis-title">Run started</text>
        <text transform={`translate(12 ${M.top + plotH / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">Duration</text>
        <polyline className="line" points={points.map((p) => `${x(p.at)},${y(p.ms)}`).join(" ")} />
        {points.map((p) => p.failed
          ? <rect key={p.run.id} className="dot-bad" x={x(p.at) - 4} y={y(p.ms) - 4} width={8} height={8}><title>{`${p.run.id}: ${formatDuration(p.ms)}, ${p.run.state}`}</title></rect>
          : <circle key={p.run.id} className="dot-ok" cx={x(p.at)} cy={y(p.ms)} r={4}><title>{`${p.run.id}: ${formatDuration(p.ms)}, ${p.run.state}`}</title></circle>)}
      </svg>
      <figcaption className="muted">{summary} Squares are failed runs.</figcaption>
      <details>
        <summary>The durations as a table</summary>
        <table>
          <caption className="sr-only">Run durations</caption>
          <thead><tr><th scope="col">Run</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">State</th></tr></thead>
          <tbody>
            {[...points].reverse().map((p) => (
              <tr key={p.run.id}><td>{p.run.id.slice(-8)}</td><td><time dateTime={p.run.createdAt}>{exact.format(p.at)}</time></td><td>{formatDuration(p.ms)}</td><td>{p.run.state}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
