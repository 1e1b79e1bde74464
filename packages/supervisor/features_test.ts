import assert from "node:assert/strict";
import { assertPasst, needsPasst } from "../../tests/_passt.ts";
import {
  type PasstFeatures,
  passtFeatures,
  SupervisorError,
  unsupportedOptions,
} from "./mod.ts";

const FEATURES: PasstFeatures = {
  options: new Set([
    "-f",
    "--foreground",
    "-s",
    "--socket",
    "-t",
    "--tcp-ports",
    "--tcp-ns",
    "--runas",
  ]),
  version: undefined,
};

Deno.test("unsupportedOptions() finds options in every spelling getopt accepts", () => {
  assert.deepEqual(
    unsupportedOptions([
      "passt",
      "-fs",
      "/run/a.sock",
      "--vhost-user",
      "--hostname=vm1",
      "-H",
      "vm1",
      "--vhost-user",
      "--runas",
      "0",
      "-t",
      "127.0.0.1/40022:22",
    ], FEATURES),
    ["--vhost-user", "--hostname", "-H"],
  );
});

Deno.test("unsupportedOptions() skips values and accepts abbreviations", () => {
  // "--vhost-user" as the value of -s is a path, not an option.
  assert.deepEqual(
    unsupportedOptions(
      ["-s", "--vhost-user", "--tcp", "1", "--fore"],
      FEATURES,
    ),
    [],
  );
  assert.deepEqual(unsupportedOptions([], FEATURES), []);
});

Deno.test({
  name:
    "passtFeatures() reads the real passt's options and caches them per path",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    const features = await passtFeatures(passt);
    for (const option of ["-t", "--tcp-ports", "--runas", "-P", "--pid"]) {
      assert.ok(features.options.has(option), option);
    }
    assert.ok(!features.options.has("default:"));
    assert.equal(await passtFeatures(passt), features, "cached");
    const again = await passtFeatures(passt, { reload: true });
    assert.notEqual(again, features);
    assert.deepEqual([...again.options], [...features.options]);
    if (!features.options.has("--vhost-user")) {
      assert.deepEqual(
        unsupportedOptions([passt, "--vhost-user"], features),
        ["--vhost-user"],
      );
    }
    // Debian's build says "unknown version"; upstream builds name their tag.
    assert.ok(
      features.version === undefined || /^\S+$/.test(features.version),
    );
  },
});

Deno.test("passtFeatures() of a missing binary is a SupervisorError, not cached", async () => {
  const missing = "/nonexistent/passt";
  await assert.rejects(passtFeatures(missing), SupervisorError);
  await assert.rejects(passtFeatures(missing), /cannot run/);
});

Deno.test("passtFeatures() refuses a program whose help lists no options", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const program = `${dir}/not-passt`;
    await Deno.writeTextFile(program, "#!/bin/sh\necho hello\n", {
      mode: 0o755,
    });
    await assert.rejects(passtFeatures(program), /lists no options/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
