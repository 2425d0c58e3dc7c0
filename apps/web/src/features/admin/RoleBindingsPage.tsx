import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { call, meQuery } from "../../app/api.js";
import { Loading } from "../../app/ui.js";
import { RoleBindingsSection } from "./RoleBindingsSection.js";
import { administersRoot, administersSomeSpace } from "./who-administers.js";

/**
 * Role grants for anyone who administers a space, root admin or not: the bindings on the spaces
 * they administer and their subtrees, grant and revoke. Accounts (users, teams) stay on the
 * root admins' page; only they may list them, so others type a user or team id.
 */
export function RoleBindingsPage() {
  const me = useQuery(meQuery());
  const root = me.data ? administersRoot(me.data.roles) : false;
  const users = useQuery({ queryKey: ["users"], queryFn: () => call("listUsers", { query: { limit: 1000 } }), enabled: root });
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => call("listTeams", {}), enabled: root });
  if (!me.data) return <Loading what="your roles" />;
  if (!administersSomeSpace(me.data.roles)) {
    return (<><h1>Role bindings</h1><p role="alert">Granting roles needs the admin role on a space; you have none.</p></>);
  }
  // A root admin sees names instead of ids; if the lists cannot be had, ids it is.
  if (root && (users.isPending || teams.isPending)) return <Loading what="users and teams" />;
  const named = root && users.data && teams.data ? { users: users.data.items.map((u) => ({ id: u.id, name: u.username })), teams: teams.data.items } : { users: null, teams: null };
  return (
    <>
      <h1>Role bindings</h1>
      <p className="muted">A role on a space holds in the whole subtree under it. {root ? <>Users and teams are managed on <Link to="/admin">Users</Link>.</> : "You see and grant roles on the spaces you administer."}</p>
      <RoleBindingsSection title="On the spaces you administer" {...named} />
    </>
  );
}
