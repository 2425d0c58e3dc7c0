import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RObject, fromJS, fromJSONText, toJSONText } from "../value/index.js";
import { callJSON, callValues } from "./test-helpers.js";

describe("regex (RE2 syntax)", () => {
  it("supports RE2-only syntax and rejects what RE2 rejects", () => {
    expect(callJSON("regex.match", '"^[[:alpha:]]+\\\\z"', '"abc"')).toBe("true");
    expect(callJSON("regex.match", '"(?i)HELLO"', '"say hello"')).toBe("true");
    expect(() => callJSON("regex.match", '"(a)\\\\1"', '"aa"')).toThrow(/invalid escape sequence/);
    expect(callJSON("regex.is_valid", '"(?=x)"')).toBe("false");
  });
  it("replaces with Go's template expansion and splits like Go", () => {
    expect(callJSON("regex.replace", '"a-b"', '"(?P<x>[a-z])"', '"<${x}$1>"')).toBe('"<aa>-<bb>"');
    expect(callJSON("regex.split", '"a"', '"banana"')).toBe('["b","n","n",""]');
    expect(callJSON("regex.template_match", '"urn:foo:{.*}:x"', '"urn:foo:bar:x"', '"{"', '"}"')).toBe("true");
  });
});

describe("glob", () => {
  it("matches with delimiters like gobwas/glob", () => {
    expect(callJSON("glob.match", '"*.example.com"', '["."]', '"a.b.example.com"')).toBe("false");
    expect(callJSON("glob.match", '"**.example.com"', '["."]', '"a.b.example.com"')).toBe("true");
    expect(callJSON("glob.match", '"{a,b}?[!x]"', "[]", '"bcd"')).toBe("true");
    expect(callJSON("glob.match", '"*"', "null", '"a.b"')).toBe("true");
  });
});

describe("encodings", () => {
  it("decodes base64 strictly, reporting Go's byte offset", () => {
    expect(callJSON("base64.decode", '"aGVsbG8="')).toBe('"hello"');
    expect(() => callJSON("base64.decode", '"aGV$bG8="')).toThrow("illegal base64 data at input byte 3");
    expect(callJSON("base64.is_valid", '"aGVsbG8"')).toBe("false");
    expect(callJSON("base64url.decode", '"aGVsbG8"')).toBe('"hello"');
  });
  it("escapes URL queries like Go", () => {
    expect(callJSON("urlquery.encode", '"a b&c/d~"')).toBe('"a+b%26c%2Fd~"');
    expect(callJSON("urlquery.decode_object", '"a=1&a=2&b=x+y"')).toBe('{"a":["1","2"],"b":["x y"]}');
    expect(() => callJSON("urlquery.decode", '"%zz"')).toThrow(/invalid URL escape/);
  });
  it("round-trips YAML and marshals JSON with Go's HTML escaping", () => {
    const y = JSON.parse(callJSON("yaml.marshal", '{"b": [1, 2], "a": "x"}')) as string;
    expect(callValues("yaml.unmarshal", [y])).toBe('{"a":"x","b":[1,2]}');
    expect(callJSON("yaml.unmarshal", '"num: 123456789012345678901"')).toBe('{"num":123456789012345678901}');
    expect(callJSON("yaml.marshal", '{"big": 123456789012345678901}')).toBe('"big: 123456789012345678901\\n"');
    // YAML 1.1, as Go's yaml.v2 reads it: `n` and `on` are booleans (keys then become strings).
    expect(callJSON("yaml.unmarshal", '"n: on"')).toBe('{"false":true}');
    expect(callJSON("json.marshal", '{"h": "<b>&"}')).toBe(JSON.stringify('{"h":"\\u003cb\\u003e\\u0026"}'));
    expect(() => callJSON("json.unmarshal", '"{\\"a\\":"')).toThrow("unexpected end of JSON input");
  });
  it("applies JSON patches and leaves failures undefined", () => {
    const doc = '{"a": [1, 2], "s": ["x"]}';
    const patch = '[{"op": "add", "path": "/a/-", "value": 3}, {"op": "move", "from": "/a/0", "path": "/b"}, {"op": "test", "path": "/b", "value": 1}]';
    expect(callJSON("json.patch", doc, patch)).toBe('{"a":[2,3],"b":1,"s":["x"]}');
    expect(callJSON("json.patch", doc, '[{"op": "remove", "path": "/nope"}]')).toBe("undefined");
  });
});

describe("crypto and JWT", () => {
  it("hashes and HMACs to hex", () => {
    expect(callJSON("crypto.sha256", '"abc"')).toBe('"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"');
    expect(callJSON("crypto.hmac.sha256", '"msg"', '"key"')).toBe('"2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628"');
  });
  it("signs and verifies HS256 tokens", () => {
    const key = fromJS({ kty: "oct", k: Buffer.from("secret").toString("base64url") });
    const token = JSON.parse(callValues("io.jwt.encode_sign", [fromJSONText('{"alg": "HS256", "typ": "JWT"}'), fromJSONText('{"sub": "me"}'), key])) as string;
    expect(callValues("io.jwt.verify_hs256", [token, "secret"])).toBe("true");
    expect(callValues("io.jwt.verify_hs256", [token, "other"])).toBe("false");
    const [ok, , payload] = JSON.parse(callValues("io.jwt.decode_verify", [token, RObject.fromRecord({ secret: "secret" })])) as [boolean, unknown, unknown];
    expect([ok, payload]).toEqual([true, { sub: "me" }]);
  });
  it("signs and verifies ES256 and PS384 tokens with JWKs and PEM keys", () => {
    for (const [alg, type, opts] of [["ES256", "ec", { namedCurve: "P-256" }], ["PS384", "rsa", { modulusLength: 1024 }]] as const) {
      const { privateKey, publicKey } = generateKeyPairSync(type as "ec", opts as { namedCurve: string });
      const jwk = fromJS(privateKey.export({ format: "jwk" }));
      const token = JSON.parse(callValues("io.jwt.encode_sign", [fromJS({ alg }), fromJS({ n: 1 }), jwk])) as string;
      const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
      expect(callValues(`io.jwt.verify_${alg.toLowerCase()}`, [token, pem])).toBe("true");
      expect(callValues(`io.jwt.verify_${alg.toLowerCase()}`, [token, JSON.stringify(publicKey.export({ format: "jwk" }))])).toBe("true");
      expect(toJSONText(fromJSONText(callValues("io.jwt.decode", [token])))).toMatch(new RegExp(`^\\[\\{"alg":"${alg}"\\},\\{"n":1\\},"[0-9a-f]+"\\]$`));
    }
  });
  it("explains bad headers when signing", () => {
    const key = '"{\\"kty\\":\\"oct\\",\\"k\\":\\"AAAA\\"}"';
    expect(() => callJSON("io.jwt.encode_sign_raw", '"{\\"alg\\":\\"none2\\"}"', '"{}"', key)).toThrow("unknown JWS algorithm: none2");
    expect(() => callJSON("io.jwt.encode_sign_raw", '"{}"', '"{}"', key)).toThrow(`header "alg" not found`);
    expect(() => callJSON("io.jwt.encode_sign_raw", '""', '"{}"', key)).toThrow("unexpected end of JSON input");
    expect(() => callJSON("io.jwt.encode_sign_raw", '"{\\"typ\\":\\"JWT\\",\\"alg\\":\\"HS256\\"}"', '"nope"', key)).toThrow("type is JWT but payload is not JSON");
  });
  it("rejects malformed tokens with OPA's messages", () => {
    expect(() => callJSON("io.jwt.decode", '"abc"')).toThrow("encoded JWT had no period separators");
    expect(() => callJSON("io.jwt.decode", '"a.b"')).toThrow("encoded JWT must have 3 sections, found 2");
  });
});
