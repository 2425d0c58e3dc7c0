/**
 * The providers Gantry ships, in ONE place: the server publishes each into its provider registry
 * at start-up (signed with a key of its own registered for the namespace), runs install them
 * through Gantry's network mirror, and a worker without a registry falls back to its filesystem
 * mirror. `build` names the built binary's place in the providers package's filesystem mirror
 * (`packages/providers/dist/mirror/<build>/<version>/<platform>/`); a second name for the same
 * binary is one more line.
 */
export interface ShippedProvider {
  /** The address users write in `required_providers` (`<host>/<namespace>/<type>`). */
  source: string;
  /** The build this name serves: `<host>/<namespace>/<type>` in the providers package's mirror. */
  build: string;
  /** Plugin protocol versions the build speaks. */
  protocols: string[];
}

/** The host Gantry's own provider addresses live on; every namespace under it is Gantry's. */
export const GANTRY_PROVIDER_HOST = "gantry.dev";

/** Gantry's provider under Spacelift's names, published under the version of Spacelift's provider whose schemas it follows. */
const SPACELIFT_BUILD = "registry.terraform.io/spacelift-io/spacelift";

export const SHIPPED_PROVIDERS: readonly ShippedProvider[] = [
  { source: "gantry.dev/gantry/gantry", build: "gantry.dev/gantry/gantry", protocols: ["6.0"] },
  { source: "gantry.dev/sim/aws", build: "gantry.dev/sim/aws", protocols: ["6.0"] },
  // What `source = "spacelift-io/spacelift"` means to terraform: Spacelift repositories run unchanged.
  { source: "registry.terraform.io/spacelift-io/spacelift", build: SPACELIFT_BUILD, protocols: ["6.0"] },
  // Terraform's implied address for `spacelift_*` resources in a module without required_providers
  // (the blog's wrapper modules), and what older code names.
  { source: "registry.terraform.io/hashicorp/spacelift", build: SPACELIFT_BUILD, protocols: ["6.0"] },
];

/** Splits a source address into its host, namespace and type. */
export function providerSourceParts(source: string): { host: string; namespace: string; type: string } {
  const [host, namespace, type] = source.split("/") as [string, string, string];
  return { host, namespace, type };
}

/**
 * The address pattern a shipped provider is installed by from Gantry's mirror: the whole
 * namespace on Gantry's own host (`gantry.dev/sim/*`), but exactly the one address on a public
 * registry's host, so `registry.terraform.io/hashicorp/aws` still comes from its upstream.
 */
export function shippedInstallPattern(p: ShippedProvider): string {
  const s = providerSourceParts(p.source);
  return s.host === GANTRY_PROVIDER_HOST ? `${s.host}/${s.namespace}/*` : p.source;
}
