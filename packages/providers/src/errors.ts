/** Every way the simulator fails, as a closed set. */
export type ProvidersErrorCode =
  | "cloud_store" // the simulated cloud directory cannot be read, locked or written
  | "not_found" // a simulated cloud object does not exist
  | "conflict" // a simulated cloud object already exists or overlaps another
  | "credentials" // no usable credentials, or a web identity token was refused
  | "invalid_config"; // provider configuration cannot be used

/** How STS names a refusal of AssumeRoleWithWebIdentity (the simulated STS answers with it). */
export type StsErrorCode = "AccessDenied" | "InvalidIdentityToken" | "ExpiredTokenException" | "IDPCommunicationError" | "ValidationError";

/** The single error type of @gantry/providers. */
export class ProvidersError extends Error {
  /** For credential refusals: the error code STS would answer with. */
  readonly stsCode: StsErrorCode | undefined;

  constructor(
    readonly code: ProvidersErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly stsCode?: StsErrorCode } = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = "ProvidersError";
    this.stsCode = options.stsCode;
  }
}
