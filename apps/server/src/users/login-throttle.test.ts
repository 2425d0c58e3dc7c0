import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle.js";

describe("LoginThrottle", () => {
  const settings = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000, maxTracked: 2 };
  const make = () => {
    const clock = { now: 0 };
    return { clock, throttle: new LoginThrottle(settings, () => clock.now) };
  };

  it("lets the free failures through, then doubles the delay up to the cap", () => {
    const { clock, throttle } = make();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      waits.push(throttle.waitFor("Alice"));
      throttle.failed("alice");
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 8000]);
    clock.now = 5000;
    expect(throttle.waitFor("ALICE")).toBe(3000);
  });

  it("forgets an account after a success or a quiet period", () => {
    const { clock, throttle } = make();
    for (let i = 0; i < 4; i++) throttle.failed("bob");
    expect(throttle.waitFor("bob")).toBe(2000);
    throttle.succeeded("bob");
    expect(throttle.waitFor("bob")).toBe(0);
    for (let i = 0; i < 4; i++) throttle.failed("bob");
    clock.now = 60_001;
    expect(throttle.waitFor("bob")).toBe(0);
  });

  it("tracks a bounded number of accounts, dropping the oldest", () => {
    const { throttle } = make();
    for (const name of ["a", "b", "c"]) for (let i = 0; i < 4; i++) throttle.failed(name);
    expect([throttle.waitFor("a"), throttle.waitFor("b"), throttle.waitFor("c")]).toEqual([0, 2000, 2000]);
  });
});
