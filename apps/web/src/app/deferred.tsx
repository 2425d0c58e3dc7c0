import { useEffect, useRef, useState, type ReactNode } from "react";

/** How long after the page's first content the sections further down render anyway. */
const FILL_IN_AFTER_MS = 400;

/**
 * Renders `children` once its place is near the viewport, or shortly after `after` turns true
 * (the page's first content is on screen) when the browser is idle: sections below the fold
 * then cost neither requests nor rendering while the page's first content arrives, and are all
 * there by the time anyone scrolls, tabs or searches to them. Until then it holds `minHeight`,
 * so nothing jumps when they arrive.
 */
export function Deferred({ after, minHeight, children }: { after: boolean; minHeight: string; children: ReactNode }) {
  const place = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown || !place.current) return;
    const io = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) setShown(true); }, { rootMargin: "200px" });
    io.observe(place.current);
    let idle: number | undefined;
    // Safari has no requestIdleCallback: there the sections come after the delay alone.
    const whenIdle = typeof requestIdleCallback === "function" ? () => { idle = requestIdleCallback(() => setShown(true), { timeout: 1_000 }); } : () => setShown(true);
    const timer = after ? setTimeout(whenIdle, FILL_IN_AFTER_MS) : undefined;
    return () => {
      io.disconnect();
      clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, [after, shown]);
  return shown ? <>{children}</> : <div ref={place} style={{ minHeight }} aria-busy="true" />;
}
