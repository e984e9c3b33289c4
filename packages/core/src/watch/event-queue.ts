type Waiter<T> = (result: IteratorResult<T>) => void;

/** Past this many consumed slots the backing array is compacted (slots are already cleared; this bounds its length). */
const COMPACT_AFTER = 1024;

/**
 * A single-producer async queue: the producer awaits `push` while more than `highWaterMark` items wait, so a slow
 * consumer slows the producer instead of losing events. `end()` lets queued items drain; `abort()` drops them.
 *
 * `next()` may be called again before an earlier call settled (the async-iterator protocol allows it): calls are
 * answered in order, and `end()`/`abort()` settle every pending call with done. A handed-out item is released at
 * once, so a watch never keeps consumed events alive.
 */
export class EventQueue<T> {
  readonly #highWaterMark: number;
  #items: (T | undefined)[] = [];
  #head = 0;
  #ended = false;
  /** Pending `next()` calls, oldest first; non-empty only while nothing is queued. */
  #waiters: Waiter<T>[] = [];
  #producer: (() => void) | undefined;

  constructor(highWaterMark = 100) {
    this.#highWaterMark = highWaterMark;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Queues an item; resolves once there is room (or the queue ended, in which case the item is dropped). */
  async push(item: T): Promise<void> {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    if (this.#items.length - this.#head > this.#highWaterMark) {
      await new Promise<void>((resolve) => (this.#producer = resolve));
    }
  }

  /** No more items: the consumer receives what is queued, then done. */
  end(): void {
    this.#ended = true;
    this.#wakeProducer();
    if (this.#head < this.#items.length) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter({ value: undefined, done: true });
  }

  /** Ends now, dropping anything queued. */
  abort(): void {
    this.#items = [];
    this.#head = 0;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#take();
      if (this.#items.length - this.#head <= this.#highWaterMark) this.#wakeProducer();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Removes the oldest item, clearing its slot so the queue holds no reference to it. */
  #take(): T {
    const value = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }

  #wakeProducer(): void {
    const producer = this.#producer;
    this.#producer = undefined;
    producer?.();
  }
}
