import type { AttributePath } from "./types.js";

/** Every way this package fails, as a closed set. */
export type TfPluginErrorCode =
  | "invalid_schema" // a definition is inconsistent (e.g. required and computed)
  | "codec" // a value does not match its type while encoding or decoding
  | "handshake" // the plugin was started outside Terraform or with unusable settings
  | "not_found" // unknown resource / data source type
  | "resource" // a handler failed; turned into an error diagnostic
  | "packaging" // building a bundle or mirror failed
  | "reattach"; // starting a reattached provider failed

/**
 * The single error type of @gantry/tfplugin. When thrown from a handler it becomes an error
 * diagnostic; `path` makes Terraform show it on the attribute's line.
 */
export class TfPluginError extends Error {
  constructor(
    readonly code: TfPluginErrorCode,
    message: string,
    readonly options: { readonly path?: AttributePath; readonly detail?: string; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "TfPluginError";
  }
}
