import type { RunDetail } from "@gantry/contract";
import { TimeAgo } from "../../app/ui.js";

/** Who approved or rejected the run, when, in which state, and what they wrote; oldest first, as approval policies read them. */
export function ReviewList({ reviews }: { reviews: RunDetail["reviews"] }) {
  return (
    <section aria-labelledby="reviews-h">
      <h2 id="reviews-h">Reviews</h2>
      {reviews.length === 0 ? <p className="muted">Nobody has reviewed this run.</p> : (
        <table>
          <thead><tr><th scope="col">Reviewer</th><th scope="col">Decision</th><th scope="col">Run state</th><th scope="col">When</th><th scope="col">Note</th></tr></thead>
          <tbody>
            {reviews.map((r, i) => (
              <tr key={`${r.at}${i}`}>
                <td>{r.author}</td>
                <td><span className={`badge state-${r.decision === "approve" ? "ok" : "bad"}`}>{r.decision === "approve" ? "approved" : "rejected"}</span></td>
                <td>{r.state}</td>
                <td><TimeAgo at={r.at} /></td>
                <td>{r.note ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
