import { useRouter } from "@tanstack/react-router";
import { useRef, type FocusEvent, type MouseEvent, type PointerEvent } from "react";

/** How long the pointer rests on a link before its page is prefetched (a sweep across a table fetches nothing). */
const HOVER_INTENT_MS = 40;

/** The internal address a plain link inside `container` points to, if the event came from one. */
function internalHref(target: EventTarget | null, container: Element): string | null {
  const a = target instanceof Element ? target.closest("a[href]") : null;
  if (!(a instanceof HTMLAnchorElement) || !container.contains(a) || a.origin !== window.location.origin) return null;
  if (a.target || a.hasAttribute("download")) return null;
  return a.pathname + a.search + a.hash;
}

/**
 * Client-side navigation for plain `<a href>` links inside one container (a table of 100 stacks,
 * 50 runs, an overview's run lists): one set of handlers on the container instead of a router
 * `<Link>` per cell. A `<Link>` subscribes to the router's state and builds its location when it
 * renders; 200 of them were most of the time a stacks page took to render on a loaded machine.
 * Clicks with a modifier key or another button keep the browser's behaviour (new tab, window).
 * `prefetch` is told the address a link is about to be followed to (hovered, focused, pressed).
 */
export function usePlainLinks(prefetch?: (path: string) => void) {
  const router = useRouter();
  const hover = useRef<ReturnType<typeof setTimeout>>(undefined);
  const intent = (e: { target: EventTarget | null; currentTarget: Element }) => {
    clearTimeout(hover.current);
    const href = prefetch ? internalHref(e.target, e.currentTarget) : null;
    if (href) prefetch!(href);
  };
  return {
    onClick(e: MouseEvent<HTMLElement>) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const href = internalHref(e.target, e.currentTarget);
      if (!href) return;
      e.preventDefault();
      void router.navigate({ href });
    },
    onPointerOver(e: PointerEvent<HTMLElement>) {
      clearTimeout(hover.current);
      const href = prefetch ? internalHref(e.target, e.currentTarget) : null;
      if (href) hover.current = setTimeout(() => prefetch!(href), HOVER_INTENT_MS);
    },
    onPointerDown: (e: PointerEvent<HTMLElement>) => intent(e),
    onFocus: (e: FocusEvent<HTMLElement>) => intent(e),
  };
}

/** The address of a stack's page and of one of its runs (for plain links). */
export const stackHref = (stackId: string) => `/stacks/${encodeURIComponent(stackId)}`;
export const runHref = (stackId: string, runId: string) => `${stackHref(stackId)}/runs/${encodeURIComponent(runId)}`;
