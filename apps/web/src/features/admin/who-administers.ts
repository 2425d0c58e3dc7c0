import type { Me } from "@gantry/contract";

/*
 * Which account pages a person gets, from the roles `me` answers (no space list needed, so the
 * frame decides its navigation without another request). The server checks every call anyway.
 */

export const administersRoot = (roles: Me["roles"]) => roles.some((r) => r.spaceId === "root" && r.role === "admin");
export const administersSomeSpace = (roles: Me["roles"]) => roles.some((r) => r.role === "admin");
