/**
 * @gantry/tfplugin: write Terraform providers (protocol 6) in TypeScript.
 */
export type * from "./types.js";
export { attr, block } from "./schema/builders.js";
export { t } from "./schema/types-builder.js";
export { providerKit } from "./define.js";
export type { ProviderKit } from "./define.js";
export { Unknown, UnknownValue, ExactNumber, isUnknown, containsUnknown } from "./values.js";
export { errorAt } from "./diagnostics.js";
export { TfPluginError } from "./errors.js";
export type { TfPluginErrorCode } from "./errors.js";
export { serve } from "./server/serve.js";
export type { ServeOptions } from "./server/serve.js";
export { withType } from "./cty/type.js";
export { encodeMsgpack, decodeMsgpack } from "./cty/msgpack.js";
export { encodeJson, decodeJson } from "./cty/json.js";
export { startReattachedProvider, mergeReattachProviders } from "./launch/reattach.js";
export type { ReattachedProvider, StartReattachedProviderOptions } from "./launch/reattach.js";
export { measureHandshake } from "./launch/measure-startup.js";
