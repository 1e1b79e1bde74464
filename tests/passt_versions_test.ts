/**
 * `@passtkit/xml` warns about options the 2023 passt lacks, and
 * `@passtkit/supervisor` names the release that added each when passt
 * refuses one; the two packages depend on neither, so this checks that they
 * name the same releases.
 */

import assert from "node:assert/strict";
import { parse, validate } from "@passtkit/xml";
import { PASST_OPTION_SINCE } from "@passtkit/supervisor";

Deno.test("validate's passt-option-too-new warnings name the releases the supervisor knows", () => {
  const doc = parse(`<domain>
  <memoryBacking><access mode='shared'/></memoryBacking>
  <devices>
    <interface type='user'>
      <mac address='52:54:00:a8:33:fc'/>
      <backend type='passt' hostname='vm' fqdn='vm.test'/>
    </interface>
    <interface type='vhostuser'>
      <mac address='52:54:00:a8:33:fd'/>
      <source dev='eth0'/>
      <backend type='passt'/>
    </interface>
  </devices>
</domain>`);
  const warnings = validate(doc).filter((d) =>
    d.code === "passt-option-too-new"
  );
  const named = warnings.map((w) => {
    const match = /with (--[a-z-]+),.*added in passt (\d{4}_\d{2}_\d{2})/.exec(
      w.message,
    );
    assert.ok(match, w.message);
    return [match[1]!, match[2]!];
  });
  assert.deepEqual(named.map(([option]) => option).sort(), [
    "--fqdn",
    "--hostname",
    "--vhost-user",
  ]);
  for (const [option, since] of named) {
    assert.equal(since, PASST_OPTION_SINCE[option!], option);
  }
});
