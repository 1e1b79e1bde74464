/**
 * Type-checks the supervisor's examples that `deno test --doc` does not:
 * blocks marked `ignore` (they need passt, so they are not run, and Deno then
 * skips their type check too). Covers every `ts` block of the package README
 * and every self-contained (importing) `ts ignore` block in its JSDoc.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE = join(ROOT, "packages", "supervisor");

interface Block {
  /** The file it comes from, relative to the package. */
  readonly file: string;
  /** The line of its opening fence. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts blocks of a text, with the line each starts on. */
function blocks(
  text: string,
  file: string,
  strip: RegExp,
): { line: number; info: string; code: string }[] {
  const found: { line: number; info: string; code: string }[] = [];
  const lines = text.split("\n").map((l) => l.replace(strip, ""));
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) {
      body.push(lines[i]!);
    }
    assert.ok(i < lines.length, `${file}:${start + 1}: unclosed code block`);
    found.push({ line: start + 1, info: open[2]!, code: body.join("\n") });
  }
  return found;
}

function examples(): Block[] {
  const out: Block[] = [];
  const readme = join(PACKAGE, "README.md");
  for (const b of blocks(Deno.readTextFileSync(readme), readme, /^/)) {
    out.push({ file: "README.md", line: b.line, code: b.code });
  }
  for (const entry of Deno.readDirSync(PACKAGE)) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts")) {
      continue;
    }
    const file = join(PACKAGE, entry.name);
    for (
      const b of blocks(Deno.readTextFileSync(file), file, /^\s*\* ?/)
    ) {
      if (
        /\bignore\b/.test(b.info) && /from "@passtkit\/supervisor"/.test(b.code)
      ) {
        out.push({ file: entry.name, line: b.line, code: b.code });
      }
    }
  }
  return out;
}

Deno.test("the supervisor's README and ignored JSDoc examples type-check", async () => {
  const found = examples();
  assert.ok(
    found.filter((b) => b.file === "README.md").length >= 4,
    "the README's examples were found",
  );
  const dir = await Deno.makeTempDir({ prefix: "passtkit-readme-" });
  try {
    const files: string[] = [];
    for (const [i, block] of found.entries()) {
      const file = join(dir, `example_${i}.ts`);
      await Deno.writeTextFile(file, `${block.code}\n`);
      files.push(file);
    }
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "check",
        "--quiet",
        "--no-lock",
        "--config",
        join(ROOT, "deno.json"),
        ...files,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(result.stderr) +
      new TextDecoder().decode(result.stdout);
    // Point at the example's own file and line in the failure message.
    const explained = text.replace(
      /file:\/\/\S*example_(\d+)\.ts:(\d+)/g,
      (_, n: string, line: string) => {
        const block = found[Number(n)]!;
        return `packages/supervisor/${block.file}:${block.line + Number(line)}`;
      },
    );
    assert.equal(result.code, 0, explained);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
