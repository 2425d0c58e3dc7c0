/**
 * Build-time helpers (they load esbuild, so they live apart from the runtime entry point
 * that provider bundles import).
 */
export { buildProviderBinary } from "./build-binary.js";
export type { BuildProviderBinaryOptions } from "./build-binary.js";
export { layoutMirror } from "./layout-mirror.js";
export type { LayoutMirrorOptions } from "./layout-mirror.js";
