/**
 * Draining a child's stdout or stderr into a bounded buffer and, optionally,
 * a log file. A pipe nobody reads blocks passt.
 * Private to the package.
 *
 * @module
 */

/** passt 2023 prints this before every message when there is no syslog. */
const SYSLOG_NOISE = /^Failed to send \d+ bytes to syslog$/;

/** Bytes read from passt's output at a time. */
const READ_CHUNK = 4096;

/** Removes the `Failed to send N bytes to syslog` lines from passt's output. */
export function filterNoise(text: string): string {
  return text.split("\n").filter((line) => !SYSLOG_NOISE.test(line)).join(
    "\n",
  );
}

/** Keeps the last `limit` bytes (roughly) of the lines written to it. */
export class OutputBuffer {
  readonly #limit: number;
  readonly #lines: string[] = [];
  #size = 0;

  /** Creates a buffer holding about `limit` characters. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Appends one line (without its newline). */
  push(line: string): void {
    this.#lines.push(line);
    this.#size += line.length + 1;
    while (this.#size > this.#limit && this.#lines.length > 1) {
      this.#size -= this.#lines.shift()!.length + 1;
    }
  }

  /** The kept lines, newline-terminated. */
  text(): string {
    return this.#lines.length === 0 ? "" : this.#lines.join("\n") + "\n";
  }
}

/**
 * Reads `stream` to its end, splitting it into lines without syslog noise,
 * each pushed to `buffer` and handed to `onLine`.
 */
export async function drain(
  stream: ReadableStream<Uint8Array>,
  buffer: OutputBuffer,
  onLine?: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  const take = (text: string, final: boolean) => {
    pending += text;
    const parts = pending.split("\n");
    pending = final ? "" : parts.pop()!;
    if (final && parts.at(-1) === "") parts.pop();
    for (const line of parts) {
      if (SYSLOG_NOISE.test(line)) continue;
      buffer.push(line);
      onLine?.(line);
    }
  };
  try {
    let byob: ReadableStreamBYOBReader | undefined;
    try {
      byob = stream.getReader({ mode: "byob" });
    } catch {
      // not a byte stream
    }
    if (byob === undefined) {
      for await (const chunk of stream) {
        take(decoder.decode(chunk, { stream: true }), false);
      }
    } else {
      // A small buffer of our own: with 200 instances, 400 pending reads of
      // the default 64 KiB chunks would cost tens of megabytes.
      let buffer = new ArrayBuffer(READ_CHUNK);
      while (true) {
        const { value, done } = await byob.read(new Uint8Array(buffer));
        if (done || value === undefined) break;
        take(decoder.decode(value, { stream: true }), false);
        buffer = value.buffer as ArrayBuffer;
      }
      byob.releaseLock();
    }
  } catch {
    // The stream was cancelled or broke: keep what we have.
  }
  take(decoder.decode(), true);
}
