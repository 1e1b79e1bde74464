import assert from "node:assert/strict";
import { ensureStateDir } from "./mod.ts";

Deno.test("ensureStateDir() creates a missing directory for a normal user with mode 0700", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = `${root}/a/b`;
    assert.deepEqual(await ensureStateDir(dir, { uid: 1000 }), {
      created: true,
      warnings: [],
    });
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    assert.equal((await Deno.stat(`${root}/a`)).mode! & 0o777, 0o755);
    // A second call finds it.
    assert.deepEqual(await ensureStateDir(dir, { uid: 1000 }), {
      created: false,
      warnings: [],
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name:
    "ensureStateDir() hands a new directory to nobody when passt starts as root",
  ignore: Deno.uid() !== 0,
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const dir = `${root}/run`;
      const result = await ensureStateDir(dir, {
        uid: 0,
        runAs: { uid: 65534, gid: 65534 },
      });
      assert.deepEqual(result, { created: true, warnings: [] });
      const info = await Deno.stat(dir);
      assert.equal(info.uid, 65534);
      assert.equal(info.mode! & 0o777, 0o700);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("ensureStateDir() warns about an existing directory nobody cannot write", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.chmod(root, 0o755);
    const owner = (await Deno.stat(root)).uid!;
    const result = await ensureStateDir(root, {
      uid: 0,
      runAs: { uid: owner + 1, gid: 4242 },
    });
    assert.equal(result.created, false);
    assert.match(
      result.warnings[0]!,
      /cannot write to '.*' \(owner \d+, mode 0755\)/,
    );
    await Deno.chmod(root, 0o1777);
    assert.deepEqual(
      (await ensureStateDir(root, {
        uid: 0,
        runAs: { uid: owner + 1, gid: 4242 },
      }))
        .warnings,
      [],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("ensureStateDir() reports a file in the way and refuses a relative path", async () => {
  const file = await Deno.makeTempFile();
  try {
    const result = await ensureStateDir(file, { uid: 1000 });
    assert.match(result.warnings[0]!, /is not a directory/);
  } finally {
    await Deno.remove(file);
  }
  await assert.rejects(() => ensureStateDir("rel"), TypeError);
});
