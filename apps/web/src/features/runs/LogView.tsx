import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ansiSpans, plain } from "./ansi.js";
import type { LogLine } from "./useRunLog.js";

const LINE_HEIGHT = 18;
const OVERSCAN = 40;

/**
 * A run's log: only the lines in view are in the page (fixed-height rows), so 100,000 lines
 * scroll as smoothly as 100. Follows the end while new lines arrive until the person scrolls up;
 * search highlights matching lines and jumps between them.
 */
export function LogView({ lines, status, actions }: { lines: LogLine[]; status: string; actions?: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(-1);

  const matches = useMemo(() => {
    if (!query) return [];
    const q = query.toLowerCase();
    const out: number[] = [];
    lines.forEach((l, i) => plain(l.text).toLowerCase().includes(q) && out.push(i));
    return out;
  }, [lines, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight);
    if (follow) el.scrollTop = el.scrollHeight;
  }, [lines.length, follow]);

  const jump = (dir: 1 | -1) => {
    if (matches.length === 0) return;
    const next = (current + dir + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    if (box.current) box.current.scrollTop = matches[next]! * LINE_HEIGHT - height / 2;
  };

  const first = Math.max(0, Math.floor(top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((top + height) / LINE_HEIGHT) + OVERSCAN);
  return (
    <section aria-labelledby="log-h">
      <h2 id="log-h">Log <span className="muted" role="status">({lines.length} lines, {status})</span></h2>
      <div className="toolbar">
        <div>
          <label htmlFor="log-search">Search the log</label>
          <input id="log-search" type="search" value={query} onChange={(e) => { setQuery(e.target.value); setCurrent(-1); }}
            onKeyDown={(e) => e.key === "Enter" && jump(e.shiftKey ? -1 : 1)} />
        </div>
        <button type="button" onClick={() => jump(-1)} disabled={!matches.length}>Previous</button>
        <button type="button" onClick={() => jump(1)} disabled={!matches.length}>Next</button>
        <span className="muted">{query ? `${matches.length} matching line${matches.length === 1 ? "" : "s"}` : ""}</span>
        <button type="button" aria-pressed={follow} onClick={() => setFollow(!follow)}>{follow ? "Following" : "Follow"}</button>
        {actions}
      </div>
      <div ref={box} className="log" tabIndex={0} role="log" aria-label="run log"
        onScroll={(e) => {
          const el = e.currentTarget;
          setTop(el.scrollTop);
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT * 2;
          if (follow !== atEnd) setFollow(atEnd);
        }}>
        <div style={{ height: lines.length * LINE_HEIGHT }}>
          {lines.slice(first, last).map((l, k) => {
            const i = first + k;
            return (
              <div key={i} className={`line${matchSet.has(i) ? " hit" : ""}`} style={{ top: i * LINE_HEIGHT }}>
                {ansiSpans(l.text).map((s, j) => <span key={j} style={{ color: s.color, fontWeight: s.bold ? 700 : undefined }}>{s.text}</span>)}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
