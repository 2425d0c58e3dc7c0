import { Link, type LinkProps } from "@tanstack/react-router";
import { useSpacesAllowing, type Role } from "./roles.js";

/**
 * A "New …" link, shown only to people who hold `needed` in some space (the server still
 * refuses a create anywhere else).
 */
export function NewLink({ to, label, needed }: { to: LinkProps["to"]; label: string; needed: Role }) {
  const spaces = useSpacesAllowing(needed);
  if (!spaces || spaces.length === 0) return null;
  return <p className="actions"><Link className="button primary" to={to}>{label}</Link></p>;
}
