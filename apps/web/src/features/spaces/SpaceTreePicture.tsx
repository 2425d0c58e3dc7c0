import type { Space } from "@gantry/contract";
import { useNavigate } from "@tanstack/react-router";

const ROW = 26, INDENT = 22;

/** The space tree drawn as a picture: each space a node under its parent, inheriting links dashed. */
export function SpaceTreePicture({ spaces }: { spaces: Space[] }) {
  const navigate = useNavigate();
  const ids = new Set(spaces.map((s) => s.id));
  const kids = new Map<string | null, Space[]>();
  for (const s of spaces) {
    const p = s.parentSpaceId && ids.has(s.parentSpaceId) ? s.parentSpaceId : null;
    kids.set(p, [...(kids.get(p) ?? []), s]);
  }
  const rows: { s: Space; depth: number; parentRow: number | null }[] = [];
  const visit = (parent: string | null, depth: number, parentRow: number | null) => {
    for (const s of (kids.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      const me = rows.length;
      rows.push({ s, depth, parentRow });
      visit(s.id, depth + 1, me);
    }
  };
  visit(null, 0, null);
  const width = Math.max(...rows.map((r) => r.depth), 0) * INDENT + 260;
  return (
    <figure className="dag" style={{ margin: "12px 0" }}>
      <svg width={width} height={rows.length * ROW + 6} role="group" aria-label={`space tree of ${rows.length} spaces`}>
        {rows.map((r, i) => r.parentRow === null ? null : (
          <path key={`e${r.s.id}`} className="edge" style={r.s.inheritEntities ? undefined : { strokeDasharray: "3 3" }}
            d={`M ${rows[r.parentRow]!.depth * INDENT + 8} ${r.parentRow * ROW + 20} V ${i * ROW + 13} H ${r.depth * INDENT + 4}`} />
        ))}
        {rows.map((r, i) => (
          <a key={r.s.id} href={`/stacks?spaceId=${encodeURIComponent(r.s.id)}`} aria-label={`space ${r.s.name}`} onClick={(e) => { e.preventDefault(); void navigate({ to: "/stacks", search: { spaceId: r.s.id } }); }}>
            <circle cx={r.depth * INDENT + 8} cy={i * ROW + 13} r={5} className="node" />
            <text x={r.depth * INDENT + 18} y={i * ROW + 17}>{r.s.name}</text>
          </a>
        ))}
      </svg>
      <figcaption className="muted">Solid lines: the space inherits its parent's contexts, policies and integrations; dashed: it does not.</figcaption>
    </figure>
  );
}
