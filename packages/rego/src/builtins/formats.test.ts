import { describe, expect, it } from "vitest";
import { callJSON } from "./test-helpers.js";

describe("uri", () => {
  it("parses an absolute URI into its parts", () => {
    expect(callJSON("uri.parse", '"https://u:p%40ss@Example.com:8443/a%20b?x=1&x=2&y#frag"')).toBe(
      '{"fragment":"frag","host":"Example.com","password":"p@ss","path":"/a b","port":8443,"query":{"x":["1","2"],"y":[""]},"raw_query":"x=1&x=2&y","scheme":"https","user":"u"}',
    );
    expect(callJSON("uri.parse", '"mailto:someone@example.com"')).toBe('{"path":"someone@example.com","scheme":"mailto"}');
  });
  it("rejects what is not an absolute URI", () => {
    expect(() => callJSON("uri.parse", '"/relative/path"')).toThrow("uri.parse: \"/relative/path\" is not a valid absolute URI");
    expect(callJSON("uri.is_valid", '"http://x y"')).toBe("false");
    expect(callJSON("uri.is_valid", '"http://h/%zz"')).toBe("false");
    expect(callJSON("uri.is_valid", "12")).toBe("false");
    expect(callJSON("uri.is_valid", '"s3://bucket/key"')).toBe("true");
  });
});

describe("time", () => {
  it("formats with Go layouts and zones", () => {
    expect(callJSON("time.format", "1670006453141828752")).toBe('"2022-12-02T18:40:53.141828752Z"');
    expect(callJSON("time.format", '[1670006453141828752, "America/New_York", "Monday, 02-Jan-06 3:04PM MST"]')).toBe('"Friday, 02-Dec-22 1:40PM EST"');
    expect(callJSON("time.format", '[0, "UTC", "2006-01-02 15:04:05.000 Z07:00"]')).toBe('"1970-01-01 00:00:00.000 Z"');
  });
  it("parses Go layouts", () => {
    expect(callJSON("time.parse_ns", '"2006-01-02"', '"2020-02-29"')).toBe("1582934400000000000");
    expect(callJSON("time.parse_ns", '"Jan _2 15:04:05 2006 -0700"', '"Feb  3 04:05:06 2021 +0100"')).toBe("1612321506000000000");
    expect(() => callJSON("time.parse_ns", '"2006-01-02"', '"2020-13-01"')).toThrow(/month out of range/);
    expect(callJSON("time.parse_rfc3339_ns", '"2017-06-02T19:00:00.5-07:00"')).toBe("1496455200500000000");
  });
  it("parses Go durations", () => {
    expect(callJSON("time.parse_duration_ns", '"1h2m3.5s"')).toBe("3723500000000");
    expect(callJSON("time.parse_duration_ns", '"-1.5us"')).toBe("-1500");
    expect(() => callJSON("time.parse_duration_ns", '"10"')).toThrow(/missing unit/);
  });
  it("computes dates, clocks, weekdays and differences", () => {
    expect(callJSON("time.date", '[1517814000000000000, "America/Los_Angeles"]')).toBe("[2018,2,4]");
    expect(callJSON("time.add_date", "1585852421593912000", "0", "1", "0")).toBe("1588444421593912000");
    expect(callJSON("time.diff", "0", "86400000000001")).toBe("[0,0,1,0,0,0]");
    expect(() => callJSON("time.weekday", "1e30")).toThrow(/timestamp too big/);
  });
});

describe("units, semver, uuid", () => {
  it("parses units exactly", () => {
    expect(callJSON("units.parse", '"500m"')).toBe("0.5");
    expect(callJSON("units.parse", '"1.1Ki"')).toBe("1126.4");
    expect(callJSON("units.parse_bytes", '"1.1KiB"')).toBe("1126");
    expect(() => callJSON("units.parse_bytes", '"1 KB"')).toThrow(/spaces not allowed/);
  });
  it("compares semantic versions", () => {
    expect(callJSON("semver.compare", '"1.0.0-alpha.1"', '"1.0.0-alpha.beta"')).toBe("-1");
    expect(callJSON("semver.compare", '"1.0.0+build"', '"1.0.0"')).toBe("0");
    expect(callJSON("semver.is_valid", '"v1.0.0"')).toBe("false");
  });
  it("parses UUIDs", () => {
    expect(callJSON("uuid.parse", '"000003e8-48b9-21ee-b200-325096b39f47"')).toBe(
      '{"clocksequence":12800,"domain":"Person","id":1000,"macvariables":"local:unicast","nodeid":"32-50-96-b3-9f-47","time":1693566990121469600,"variant":"RFC4122","version":2}',
    );
  });
});

describe("net", () => {
  it("merges and expands CIDRs", () => {
    expect(callJSON("net.cidr_merge", '["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31", "fe80::/120"]')).toBe('["192.0.2.112/29","fe80::/120"]');
    expect(callJSON("net.cidr_expand", '"10.0.0.0/31"')).toBe('["10.0.0.0","10.0.0.1"]');
    expect(callJSON("net.cidr_contains", '"::ffff:0:0/96"', '"::ffff:10.0.0.1"')).toBe("true");
  });
});
