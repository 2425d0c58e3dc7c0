/** Each endpoint's method and path, generated from the contract at build time (vite.config.ts). */
declare module "virtual:gantry-routes" {
  import type { RouteTable } from "@gantry/contract/browser";
  const routes: RouteTable;
  export default routes;
}
