import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createPluginCertificate } from "./certificate.js";

describe("createPluginCertificate", () => {
  it("makes a valid self-signed certificate for localhost", () => {
    const c = createPluginCertificate();
    const x = new X509Certificate(c.certPem);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkHost("localhost")).toBe("localhost");
    expect(x.ca).toBe(true);
    expect(x.keyUsage).toEqual(expect.arrayContaining(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]));
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
    expect(c.handshakeCert).not.toMatch(/=/);
    expect(Buffer.from(c.handshakeCert, "base64").equals(Buffer.from(x.raw))).toBe(true);
  });
});
