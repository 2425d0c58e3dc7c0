/**
 * The launcher that wraps a provider bundle. It compiles the bundle with a V8 code cache so a
 * provider process skips most parsing and compiling on each of the several launches Terraform
 * makes per plan.
 *
 * The cache is not part of the binary: V8's cache bytes differ from run to run, and Terraform's
 * lock file pins the binary's checksum, so builds must be reproducible. Instead the first launch
 * writes it to a per-user cache directory (`$TFPLUGIN_CODE_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/gantry-tfplugin`, else `~/.cache/gantry-tfplugin`), keyed by the bundle's
 * hash and the node version; later launches read it. A directory writable by other users is
 * never trusted. `TFPLUGIN_CODE_CACHE=0` turns the cache off. If V8 rejects a cache (another
 * node build or flags) the bundle compiles normally and the cache is rewritten.
 *
 * The launcher is valid both as CommonJS and as an ES module (it only uses
 * `process.getBuiltinModule`), because node picks the module kind from the nearest
 * package.json, and a provider may sit inside a `"type": "module"` package.
 *
 * `__SOURCE__` and `__SOURCE_ID__` are replaced with JSON string literals at build time.
 */
export const CODE_CACHE_STUB = `"use strict";
const source = __SOURCE__;
const sourceId = __SOURCE_ID__;
const vm = process.getBuiltinModule("node:vm");
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const filename = path.resolve(process.argv[1] || "provider");
const bundleRequire = process.getBuiltinModule("node:module").createRequire(filename);
function cacheFile() {
  if (process.env.TFPLUGIN_CODE_CACHE === "0") return undefined;
  const home = process.env.HOME || process.getBuiltinModule("node:os").homedir();
  const dir = process.env.TFPLUGIN_CODE_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(home, ".cache"), "gantry-tfplugin");
  return path.join(dir, sourceId + "-" + process.version + "-" + process.arch + ".v8cache");
}
function readCache(file) {
  try {
    const dir = fs.statSync(path.dirname(file));
    if (typeof process.getuid === "function" && dir.uid !== process.getuid()) return undefined;
    if ((dir.mode & 0o022) !== 0) return undefined;
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
function writeCache(file, script) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = file + "." + process.pid + ".tmp";
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // A cache is an optimisation: a read-only home must not stop the provider.
  }
}
const file = cacheFile();
const cachedData = file ? readCache(file) : undefined;
const script = new vm.Script("(function (exports, require, module, __filename, __dirname) {" + source + "\\n})", { filename, cachedData });
if (file && (!cachedData || script.cachedDataRejected)) {
  // Once the first line (handshake or reattach JSON) is out, everything start-up needs has
  // been compiled: that is the moment to capture the cache.
  const write = process.stdout.write;
  process.stdout.write = function (...args) {
    process.stdout.write = write;
    const result = write.apply(process.stdout, args);
    setImmediate(() => writeCache(file, script));
    return result;
  };
}
const bundleModule = { exports: {} };
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, filename, path.dirname(filename));
`;
