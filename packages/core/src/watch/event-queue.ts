/**
 * A single-consumer async queue: the producer awaits `push` while more than `highWaterMark` items wait, so a slow
 * consumer slows the producer instead of losing events. `end()` lets queued items drain; `abort()` drops them.
 */
export class EventQueue<T> {
  readonly #highWaterMark: number;
  #items: T[] = [];
  #head = 0;
  #ended = false;
  #consumer: ((r: IteratorResult<T>) => void) | undefined;
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
    const consumer = this.#consumer;
    if (consumer) {
      this.#consumer = undefined;
      consumer({ value: item, done: false });
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
    if (this.#consumer && this.#head >= this.#items.length) {
      const consumer = this.#consumer;
      this.#consumer = undefined;
      consumer({ value: undefined, done: true });
    }
  }

  /** Ends now, dropping anything queued. */
  abort(): void {
    this.#items = [];
    this.#head = 0;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head++]!;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      if (this.#items.length - this.#head <= this.#highWaterMark) this.#wakeProducer();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#consumer = resolve));
  }

  #wakeProducer(): void {
    const producer = this.#producer;
    this.#producer = undefined;
    producer?.();
  }
}
