import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ProvidersError } from "../../errors.js";
import { writeFileAtomic } from "./atomic-write.js";
import { emptyCloudFile, parseCloudFile } from "./cloud-file.js";
import type { CloudFile, CloudObject, CloudScope } from "./cloud-file.js";
import { withFileLock } from "./file-lock.js";

const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The simulated cloud: a directory holding one JSON file per account and region
 * (`<dir>/<account>/<region>.json`).
 *
 * Readers need no lock because every write replaces the file with an atomic rename. Writers go
 * through {@link CloudStore.update}, which holds an inter-process lock across read-modify-write,
 * so concurrent terraform runs (each a separate provider process) never lose each other's writes.
 *
 * @example
 * const store = new CloudStore("/tmp/sim");
 * await store.update({ accountId: "123456789012", region: "us-east-1" }, (file) => { ... });
 */
export class CloudStore {
  constructor(readonly dir: string) {}

  /** Path of a scope's file. */
  filePath(scope: CloudScope): string {
    for (const part of [scope.accountId, scope.region]) {
      if (!SAFE_NAME.test(part)) throw new ProvidersError("invalid_config", `"${part}" is not a valid account id or region name`);
    }
    return join(this.dir, scope.accountId, `${scope.region}.json`);
  }

  /** The current content of a scope's file (empty when it does not exist yet). */
  async read(scope: CloudScope): Promise<CloudFile> {
    const path = this.filePath(scope);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyCloudFile(scope);
      throw new ProvidersError("cloud_store", `reading simulated cloud file ${path} failed`, { cause: err });
    }
    return parseCloudFile(text, path);
  }

  /** One object, or null when it does not exist. */
  async get(scope: CloudScope, resourceType: string, id: string): Promise<CloudObject | null> {
    const file = await this.read(scope);
    return file.objects[resourceType]?.[id] ?? null;
  }

  /**
   * Read-modify-write under the scope's lock. `change` edits the file in place and returns a
   * result; the file is written (serial raised) unless `change` throws.
   */
  async update<T>(scope: CloudScope, change: (file: CloudFile) => T | Promise<T>): Promise<T> {
    const path = this.filePath(scope);
    await mkdir(join(this.dir, scope.accountId), { recursive: true });
    return withFileLock(path, async () => {
      const file = await this.read(scope);
      const result = await change(file);
      file.serial += 1;
      await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
      return result;
    });
  }

  /** Creates or replaces one object. */
  async put(scope: CloudScope, resourceType: string, id: string, object: CloudObject): Promise<void> {
    await this.update(scope, (file) => {
      (file.objects[resourceType] ??= {})[id] = object;
    });
  }

  /** Deletes one object; true if it existed. */
  async remove(scope: CloudScope, resourceType: string, id: string): Promise<boolean> {
    return this.update(scope, (file) => {
      const byId = file.objects[resourceType];
      if (!byId || !(id in byId)) return false;
      delete byId[id];
      return true;
    });
  }
}
