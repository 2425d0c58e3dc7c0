import type { RunDetail } from "@gantry/contract";
import { StateBadge, stateTone } from "../../app/ui.js";

const TERMINAL = new Set(["FINISHED", "FAILED", "DISCARDED", "STOPPED", "CANCELED", "SKIPPED"]);

/** Phase durations: the time between one transition and the next (the last one runs until now). */
export function phases(run: RunDetail, now = Date.now()) {
  return run.history.map((t, i) => {
    const next = run.history[i + 1];
    const ms = next ? Date.parse(next.at) - Date.parse(t.at) : TERMINAL.has(t.to) ? null : now - Date.parse(t.at);
    return { ...t, ms, current: !next && !TERMINAL.has(t.to) };
  });
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * The run's phases as one bar (each phase as wide as the time it took) and as a list with who or
 * what moved the run on. The bar repeats the list for people who would rather look.
 */
export function PhaseTimeline({ run }: { run: RunDetail }) {
  const list = phases(run);
  const total = list.reduce((n, p) => n + (p.ms ?? 0), 0) || 1;
  let x = 0;
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline <span className="muted">({duration(total)} in all)</span></h2>
      <svg className="phases" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label={`phases: ${list.filter((p) => p.ms !== null).map((p) => `${p.to} ${duration(p.ms!)}`).join(", ")}`}>
        {list.filter((p) => p.ms !== null).map((p, i) => {
          const w = Math.max(2, (p.ms! / total) * 1000);
          const rect = <rect key={i} x={x} y={0} width={w} height={24} className={`fill-${stateTone(p.to)}`}><title>{`${p.to}: ${duration(p.ms!)}`}</title></rect>;
          x += w;
          return rect;
        })}
      </svg>
      <ol className="timeline">
        {list.map((t, i) => (
          <li key={i}>
            <span><StateBadge state={t.to} /></span>
            <span className="muted">{t.ms === null ? "" : `${duration(t.ms)}${t.current ? " so far" : ""}`}</span>
            <span>{t.cause}{t.actor ? ` (${t.actor})` : ""}{t.note ? `: ${t.note}` : ""}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
