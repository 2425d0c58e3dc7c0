import type { EndpointOutput, Endpoints } from "@gantry/contract";
import { TimeAgo } from "../../app/ui.js";

type ApiKey = EndpointOutput<Endpoints["listApiKeys"]>["items"][number];

/** When a key stops working: never, or the day (exact time on hover), marked once it has passed. */
export function KeyExpiry({ at }: { at: string | null }) {
  if (!at) return <>never</>;
  return Date.parse(at) <= Date.now() ? <>expired <TimeAgo at={at} /></> : <TimeAgo at={at} />;
}

/** API keys with their dates and a revoke button per key; `withUser` adds whose key it is. */
export function ApiKeysTable({ keys, withUser, revokeLabel, onRevoke, pending }: {
  keys: ApiKey[]; withUser: boolean; revokeLabel: (k: ApiKey) => string; onRevoke: (k: ApiKey) => void; pending: boolean;
}) {
  return (
    <table>
      <thead><tr><th scope="col">Key</th>{withUser ? <th scope="col">User</th> : null}<th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.id}>
            <td>{k.name}</td>{withUser ? <td>{k.userId}</td> : null}<td><TimeAgo at={k.createdAt} /></td><td><TimeAgo at={k.lastUsedAt} /></td><td><KeyExpiry at={k.expiresAt} /></td>
            <td><button type="button" className="link" disabled={pending} onClick={() => onRevoke(k)}>{revokeLabel(k)}</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
