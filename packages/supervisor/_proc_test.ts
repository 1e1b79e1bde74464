import assert from "node:assert/strict";
import {
  isPasstProgram,
  listensOn,
  parseStat,
  parseUnixSockets,
} from "./_proc.ts";
import { EventHub } from "./_event_hub.ts";
import { drain, filterNoise, OutputBuffer } from "./_output.ts";

const UNIX = `Num       RefCount Protocol Flags    Type St Inode Path
00000000061a4ef6: 00000002 00000000 00010000 0001 01  7102 /tmp/a dir/a.sock
00000000061a4ef7: 00000003 00000000 00000000 0001 03  7103 /tmp/b.sock
00000000061a4ef8: 00000002 00000000 00010000 0002 01  7104 /tmp/c.sock
00000000061a4ef9: 00000002 00000000 00000000 0001 01  7105
`;

Deno.test("parseUnixSockets() reads flags, type and paths with spaces", () => {
  const entries = parseUnixSockets(UNIX);
  assert.equal(entries.length, 4);
  assert.deepEqual(entries[0], {
    flags: 0x10000,
    type: 1,
    inode: 7102,
    path: "/tmp/a dir/a.sock",
  });
  assert.equal(entries[3]!.path, "");
});

Deno.test("listensOn() needs a listening stream socket at that exact path", () => {
  const entries = parseUnixSockets(UNIX);
  assert.equal(listensOn(entries, "/tmp/a dir/a.sock"), true);
  assert.equal(listensOn(entries, "/tmp/b.sock"), false); // connected, not listening
  assert.equal(listensOn(entries, "/tmp/c.sock"), false); // datagram
  assert.equal(listensOn(entries, "/tmp/a"), false);
});

Deno.test("parseStat() copes with spaces and parentheses in the name", () => {
  const stat = parseStat(
    "123 (a) b) S 1 123 123 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 4242 1000 10",
  );
  assert.equal(stat?.comm, "a) b");
  assert.equal(stat?.state, "S");
  assert.equal(stat?.ppid, 1);
  assert.equal(stat?.utime, 7);
  assert.equal(stat?.stime, 3);
  assert.equal(stat?.startTime, 4242);
});

Deno.test("isPasstProgram() accepts the passt family only", () => {
  assert.equal(isPasstProgram("/usr/bin/passt"), true);
  assert.equal(isPasstProgram("/usr/bin/passt.avx2"), true);
  assert.equal(isPasstProgram("/usr/bin/passt.avx2 (deleted)"), true);
  assert.equal(isPasstProgram("/usr/bin/pasta"), false);
  assert.equal(isPasstProgram("/usr/bin/sleep"), false);
});

Deno.test("drain() splits lines, drops syslog noise and keeps a bounded tail", async () => {
  const text =
    "Failed to send 47 bytes to syslog\nfirst\nFailed to send 9 bytes to syslog\nsecond\nthird";
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // split inside a line and inside a multi-byte boundary-free chunk
      controller.enqueue(bytes.slice(0, 40));
      controller.enqueue(bytes.slice(40));
      controller.close();
    },
  });
  const buffer = new OutputBuffer(14);
  const lines: string[] = [];
  await drain(stream, buffer, (line) => lines.push(line));
  assert.deepEqual(lines, ["first", "second", "third"]);
  assert.equal(buffer.text(), "second\nthird\n");
  assert.equal(filterNoise(text), "first\nsecond\nthird");
});

Deno.test("EventHub replays history to late iterators and ends on close", async () => {
  const hub = new EventHub<number>(2);
  hub.emit(1);
  hub.emit(2);
  hub.emit(3); // 1 is dropped
  const seen: number[] = [];
  const reading = (async () => {
    for await (const n of hub.iterate()) seen.push(n);
  })();
  hub.emit(4);
  hub.close();
  await reading;
  assert.deepEqual(seen, [2, 3, 4]);
});
