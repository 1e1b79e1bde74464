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
import { assertPasst, needsPasst } from "./_passt.ts";
import { portFree } from "./_ports.ts";
import {
  killLeftovers,
  listDir,
  passtChildren,
  processGone,
  tempRoot,
} from "./supervisor_helpers.ts";

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

/** A free port of this file's own (see `_ports.ts`). */
function freeTcpPort(): number {
  for (let port = 11500; port <= 11509; port++) {
    if (portFree("tcp", port)) return port;
  }
  throw new Error("no free port in 11500-11509");
}

/** The lines of a byte stream, as they arrive. */
async function* linesOf(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) !== -1) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer !== "") yield buffer;
}

Deno.test({
  name:
    "the README's PasstProcess example, interrupted with Ctrl-C, stops passt and leaves nothing behind",
  ...needsPasst(),
  fn: async () => {
    const passt = assertPasst();
    const block = examples().find((b) =>
      b.file === "README.md" && b.code.includes("PasstProcess.start(")
    );
    assert.ok(block, "the README has the PasstProcess example");
    await using root = await tempRoot();
    const stateDir = join(root.path, "vm1");
    const port = String(freeTcpPort());
    // The example as written, pointed at this machine's passt, a state
    // directory of the test's own and a free port.
    const code = block.code
      .replace('"/run/passtkit/vm1"', JSON.stringify(stateDir))
      .replace('["passt",', `[${JSON.stringify(passt)},`)
      .replace("127.0.0.1/40022:22", `127.0.0.1/${port}:22`);
    assert.notEqual(code, block.code);
    assert.ok(code.includes(stateDir) && code.includes(port), code);
    const script = join(root.path, "example.ts");
    await Deno.writeTextFile(script, code);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-lock",
        "--config",
        join(ROOT, "deno.json"),
        script,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // On failure too: no example process and no passt outlive the test.
    await using _cleanup = {
      async [Symbol.asyncDispose]() {
        try {
          child.kill("SIGKILL");
        } catch {
          // already exited
        }
        await child.status;
        await child.stderr.cancel().catch(() => {});
        killLeftovers(root.path);
      },
    };
    // One iterator for both loops: leaving a for-await loop would cancel it.
    const lines = linesOf(child.stdout);
    const output: string[] = [];
    let pid = 0;
    while (pid === 0) {
      const { value: line, done } = await lines.next();
      if (done) break;
      output.push(line);
      const ready = /^(\d+) (\S+\.socket)$/.exec(line);
      if (ready) {
        pid = Number(ready[1]);
        assert.equal(ready[2], join(stateDir, "net0.socket"));
      }
    }
    assert.ok(pid > 0, `no "PID SOCKET" line: ${output.join("\n")}`);
    assert.deepEqual(listDir(stateDir).sort(), ["net0.pid", "net0.socket"]);
    child.kill("SIGINT");
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      output.push(next.value);
    }
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 0, `${output.join("\n")}\n${stderr}`);
    const events = output.filter((l) => l.startsWith("{")).map((l) =>
      JSON.parse(l).type
    );
    assert.deepEqual(events.at(-1), "stopped", output.join("\n"));
    assert.deepEqual(listDir(stateDir), []);
    assert.deepEqual(passtChildren(root.path), []);
    assert.ok(await processGone(pid), `passt ${pid} still runs`);
  },
});
