import assert from "node:assert/strict";
import { backoffDelay, RestartWindow, shouldRestart } from "./mod.ts";

Deno.test("backoffDelay() grows by the factor up to the cap", () => {
  const options = { initialMs: 50, factor: 3, maxMs: 1000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => backoffDelay(n, options)),
    [50, 150, 450, 1000, 1000],
  );
  assert.equal(backoffDelay(0), 100);
  assert.equal(backoffDelay(1000), 10_000);
});

Deno.test("shouldRestart() follows the policy table", () => {
  const table: [
    Parameters<typeof shouldRestart>[0],
    number | null,
    string | null,
    boolean,
  ][] = [
    ["never", 1, null, false],
    ["never", null, "SIGKILL", false],
    ["on-failure", 0, null, false],
    ["on-failure", 1, null, true],
    ["on-failure", null, "SIGKILL", true],
    ["always", 0, null, true],
    ["always", null, "SIGKILL", true],
  ];
  for (const [policy, code, signal, expected] of table) {
    assert.equal(
      shouldRestart(policy, { code, signal }),
      expected,
      `${policy} ${code} ${signal}`,
    );
  }
});

Deno.test("RestartWindow counts restarts in a sliding window", () => {
  const window = new RestartWindow(3, 1000);
  assert.deepEqual([0, 100, 200].map((t) => window.next(t)), [1, 2, 3]);
  assert.equal(window.next(300), undefined);
  assert.equal(window.next(1050), 3); // 0 fell out; 100 and 200 remain
  assert.equal(window.next(5000), 1);
});
