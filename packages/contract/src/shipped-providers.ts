/**
 * The providers Gantry ships, in ONE place: the server publishes each into its provider registry
 * at start-up (signed with a key of its own registered for the namespace), runs install them
 * through Gantry's network mirror, and a worker without a registry falls back to its filesystem
 * mirror. `build` names the built binary (`packages/providers/dist/mirror/gantry.dev/<build>`);
 * a second name for the same binary is one more line.
 */
export interface ShippedProvider {
  /** The address users write in `required_providers` (`<host>/<namespace>/<type>`). */
  source: string;
  /** The build in the providers package's mirror that this name serves (`<namespace>/<type>` under gantry.dev). */
  build: string;
  /** Plugin protocol versions the build speaks. */
  protocols: string[];
}

export const SHIPPED_PROVIDERS: readonly ShippedProvider[] = [
  { source: "gantry.dev/gantry/gantry", build: "gantry/gantry", protocols: ["6.0"] },
  { source: "gantry.dev/sim/aws", build: "sim/aws", protocols: ["6.0"] },
];

/** Splits a source address into its host, namespace and type. */
export function providerSourceParts(source: string): { host: string; namespace: string; type: string } {
  const [host, namespace, type] = source.split("/") as [string, string, string];
  return { host, namespace, type };
}
