import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";

const LINE_HEIGHT = 18;
const OVERSCAN = 40;

/**
 * A long monospace text (a policy's evaluation trace) that stays responsive at 100,000 lines:
 * only the lines in view are in the page (fixed-height rows, as the run log), and the search
 * runs on a deferred copy of the query so typing never waits for it. Enter and Shift+Enter in
 * the search field jump between matching lines.
 */
export function TraceView({ text, label, idPrefix }: { text: string; label: string; idPrefix: string }) {
  const lines = useMemo(() => text.replace(/\n$/, "").split("\n"), [text]);
  const lower = useMemo(() => lines.map((l) => l.toLowerCase()), [lines]);
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [query, setQuery] = useState("");
  const searched = useDeferredValue(query);
  const [current, setCurrent] = useState(-1);

  const matches = useMemo(() => {
    const q = searched.trim().toLowerCase();
    if (!q) return [];
    const out: number[] = [];
    for (let i = 0; i < lower.length; i++) if (lower[i]!.includes(q)) out.push(i);
    return out;
  }, [lower, searched]);
  const matchSet = useMemo(() => new Set(matches), [matches]);

  useEffect(() => {
    if (box.current) setHeight(box.current.clientHeight);
  }, [lines]);

  const jump = (dir: 1 | -1) => {
    if (matches.length === 0) return;
    const next = (current + dir + matches.length) % matches.length;
    setCurrent(next);
    if (box.current) box.current.scrollTop = matches[next]! * LINE_HEIGHT - height / 2;
  };

  const first = Math.max(0, Math.floor(top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((top + height) / LINE_HEIGHT) + OVERSCAN);
  const at = current >= 0 ? matches[current] : undefined;
  return (
    <>
      <div className="toolbar">
        <div>
          <label htmlFor={`${idPrefix}-search`}>Search the trace</label>
          <input id={`${idPrefix}-search`} type="search" value={query} onChange={(e) => { setQuery(e.target.value); setCurrent(-1); }}
            onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); jump(e.shiftKey ? -1 : 1); } }} />
        </div>
        <button type="button" onClick={() => jump(-1)} disabled={!matches.length}>Previous match</button>
        <button type="button" onClick={() => jump(1)} disabled={!matches.length}>Next match</button>
        <span className="muted" role="status">
          {lines.length} line{lines.length === 1 ? "" : "s"}{searched.trim() ? `, ${matches.length} matching${at !== undefined ? ` (at line ${at + 1})` : ""}` : ""}
        </span>
      </div>
      <div ref={box} className="log trace" tabIndex={0} role="region" aria-label={label}
        style={{ height: `min(${lines.length * LINE_HEIGHT + 8}px, 60vh)` }}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
        <div style={{ height: lines.length * LINE_HEIGHT }}>
          {lines.slice(first, last).map((l, k) => {
            const i = first + k;
            return <div key={i} className={`line${matchSet.has(i) ? " hit" : ""}${i === at ? " current" : ""}`} style={{ top: i * LINE_HEIGHT }}>{l}</div>;
          })}
        </div>
      </div>
    </>
  );
}
