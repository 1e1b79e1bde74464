import assert from "node:assert/strict";
import fc from "fast-check";
import { shellQuote, shellQuoteWord } from "./mod.ts";

/** Runs `printf '%s\0' <quoted>` in a shell and returns the words it got. */
async function throughShell(shell: string, quoted: string): Promise<string[]> {
  const output = await new Deno.Command(shell, {
    args: ["-c", `printf '%s\\0' ${quoted}`],
    stdout: "piped",
    stderr: "piped",
    env: { HOME: "/root", LC_ALL: "C.UTF-8" },
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const text = new TextDecoder().decode(output.stdout);
  return text.split("\0").slice(0, -1);
}

const TRICKY = [
  "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
  "~5010",
  "~root",
  "a=~root",
  "x:~root",
  "it's",
  "'",
  "''",
  "a b",
  "",
  " ",
  "$HOME",
  "`id`",
  "$(id)",
  "!!",
  "a!b",
  "\\",
  '"',
  "*",
  "?",
  "[a]",
  "{a,b}",
  "#x",
  "a#b",
  "-",
  "--",
  ";",
  "&",
  "|",
  "<x>",
  "(x)",
  "a\nb",
  "a\tb",
  "é",
  "名前",
  "%1",
  "@x",
  "+1",
  "=x",
  "=ls",
  "A=b",
  "--opt=~root",
  "--opt=x:~root",
  "x,a=~root",
  "socket,id=c,path=/p",
];

Deno.test("shellQuote() output gives back the same argv through bash, dash and sh", async () => {
  for (const shell of ["bash", "dash", "sh"]) {
    assert.deepEqual(
      await throughShell(shell, shellQuote(TRICKY)),
      TRICKY,
      shell,
    );
  }
});

Deno.test("shellQuote() output gives back any argv through bash", async () => {
  const word = fc.string({ unit: "binary", maxLength: 12 }).map((s) =>
    s.replaceAll("\0", "")
  );
  const samples = fc.sample(fc.array(word, { minLength: 1, maxLength: 6 }), {
    numRuns: 150,
    seed: 20250101,
  });
  // One shell run for all samples, with a separator word between them.
  const separator = "--separator--";
  const all = samples.flatMap((argv) => [...argv, separator]);
  const got = await throughShell("bash", shellQuote(all));
  assert.deepEqual(got, all);
});

Deno.test("shellQuoteWord() leaves safe words and port specs unquoted", () => {
  for (
    const word of [
      "passt",
      "--one-off",
      "/run/passtkit/1-vm-net0.socket",
      "10.0.0.1%eth0/2022:22,5000-5099:1000-1099,~5010-5029",
      "2001:db8::1/22:2022",
      "192.168.221.122",
    ]
  ) {
    assert.equal(shellQuoteWord(word), word);
  }
  assert.equal(shellQuoteWord("~22"), "'~22'");
  assert.equal(shellQuoteWord("a=b"), "'a=b'");
  assert.equal(shellQuoteWord("=b"), "'=b'");
  assert.equal(shellQuoteWord("--a=b"), "--a=b");
  assert.equal(shellQuoteWord("--a=~b"), "'--a=~b'");
  assert.equal(
    shellQuoteWord("socket,id=charnet0,path=/run/x.socket,reconnect-ms=5000"),
    "socket,id=charnet0,path=/run/x.socket,reconnect-ms=5000",
  );
  assert.equal(shellQuoteWord("a'b"), "'a'\\''b'");
});

Deno.test("shellQuote() refuses a NUL character", () => {
  assert.throws(() => shellQuote(["a\0b"]), TypeError);
});
