/** HTTPS calls to the registry trusting the test server's local CA, as terraform would make them. */
import { request } from "node:https";

export interface RegistryAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; json(): unknown }

export function registryGet(baseUrl: string, ca: string, path: string, token?: string): Promise<RegistryAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { method: "GET", ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString("utf8")) as unknown });
      });
    });
    req.on("error", reject);
    req.end();
  });
}
