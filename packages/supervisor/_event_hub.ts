/**
 * A small broadcast channel: events are kept (bounded) and every iterator
 * sees them all from the first one, then new ones until the hub is closed.
 * Private to the package.
 *
 * @module
 */

/** Broadcasts values to async iterators and callbacks. */
export class EventHub<T> {
  readonly #history: T[] = [];
  readonly #limit: number;
  #dropped = 0;
  readonly #waiters = new Set<() => void>();
  readonly #listeners = new Set<(value: T) => void>();
  #closed = false;

  /** Creates a hub keeping at most `limit` past values for late iterators. */
  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /** Whether {@linkcode close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Publishes a value to every iterator and listener. */
  emit(value: T): void {
    if (this.#closed) return;
    this.#history.push(value);
    if (this.#history.length > this.#limit) {
      this.#history.shift();
      this.#dropped++;
    }
    for (const listener of this.#listeners) {
      try {
        listener(value);
      } catch (error) {
        // A listener's bug must not break supervision; report it and go on.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    this.#wake();
  }

  /** Calls `listener` for every future value; returns a function that removes it. */
  listen(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ends every iterator once it has seen all values. */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#wake();
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Iterates over every value from the first kept one until the hub is closed. */
  async *iterate(): AsyncGenerator<T, void, undefined> {
    // Absolute position, so that values dropped from the history are skipped.
    let position = this.#dropped;
    while (true) {
      while (position - this.#dropped < this.#history.length) {
        const index = Math.max(0, position - this.#dropped);
        position = this.#dropped + index + 1;
        yield this.#history[index]!;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }
}
