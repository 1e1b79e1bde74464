import assert from "node:assert/strict";
import { parse } from "@passtkit/xml";
import {
  defaultStateDir,
  interfaceAliases,
  passtPaths,
  shortName,
} from "./mod.ts";

Deno.test("defaultStateDir() is /run/passtkit for root and under XDG_RUNTIME_DIR otherwise", () => {
  assert.equal(
    defaultStateDir({ uid: 0, xdgRuntimeDir: "/run/user/0" }),
    "/run/passtkit",
  );
  assert.equal(
    defaultStateDir({ uid: 1000, xdgRuntimeDir: "/run/user/1000/" }),
    "/run/user/1000/passtkit",
  );
  // A relative XDG_RUNTIME_DIR is invalid per the XDG spec: ignored.
  assert.equal(
    defaultStateDir({ uid: 1000, xdgRuntimeDir: "run", tmpDir: "/var/tmp/" }),
    "/var/tmp/passtkit-1000",
  );
});

Deno.test("defaultStateDir() reads the running process by default", () => {
  const dir = defaultStateDir();
  assert.ok(dir.startsWith("/"));
  if (Deno.uid() === 0) assert.equal(dir, "/run/passtkit");
});

Deno.test("shortName() cuts the name to 20 code points", () => {
  assert.equal(shortName(-1, "QEMUGuest1"), "-1-QEMUGuest1");
  assert.equal(shortName(1, "x".repeat(21)), `1-${"x".repeat(20)}`);
  assert.equal(shortName(1, "😀".repeat(25)), `1-${"😀".repeat(20)}`);
});

Deno.test("interfaceAliases() ignores aliases other than ua-, as libvirt does", () => {
  const doc = parse(`<devices>
  <interface type='user'/>
  <interface type='user'><alias name='net5'/></interface>
  <interface type='user'/>
  <interface type='hostdev'/>
  <interface type='user'><alias name='ua-x'/></interface>
</devices>`);
  assert.deepEqual(interfaceAliases(doc), [
    "net0",
    "net1",
    "net2",
    "hostdev0",
    "ua-x",
  ]);
});

Deno.test("passtPaths() joins the state directory without doubling slashes", () => {
  const paths = passtPaths({
    stateDir: "/run/x//",
    domainId: 2,
    domainName: "d",
    alias: "net0",
  });
  assert.equal(paths.socket, "/run/x/2-d-net0.socket");
  assert.equal(
    passtPaths({ stateDir: "/", domainId: 2, domainName: "d", alias: "net0" })
      .pidfile,
    "/2-d-net0-passt.pid",
  );
  assert.throws(
    () =>
      passtPaths({ stateDir: "x", domainId: 1, domainName: "d", alias: "n" }),
    TypeError,
  );
});
