/** go-plugin's magic cookie for Terraform providers: proves Terraform started the process. */
export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/** go-plugin core protocol version. */
export const CORE_PROTOCOL_VERSION = 1;
/** Terraform plugin protocol version this library speaks. */
export const APP_PROTOCOL_VERSION = 6;

/** The one line a plugin prints on stdout once it listens. */
export function handshakeLine(address: string, cert: string): string {
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|${address}|grpc|${cert}\n`;
}

/** Why the environment does not allow serving, or undefined when it does. */
export function handshakeProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return [
      "this program is a Terraform provider plugin: terraform starts it, it is not meant to be run by hand.",
      "to use it, install it in a filesystem mirror (or dev_overrides) and run terraform;",
      "to keep one running for several terraform processes, start it with --reattach <provider address> and",
      "pass the JSON it prints to terraform as TF_REATTACH_PROVIDERS.",
    ].join("\n");
  }
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (offered && !offered.split(",").map((v) => v.trim()).includes(String(APP_PROTOCOL_VERSION))) {
    return `terraform offered plugin protocol versions ${offered}, but this provider only speaks version ${APP_PROTOCOL_VERSION}: use terraform 1.0 or newer`;
  }
  return undefined;
}
