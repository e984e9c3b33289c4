interface Waiter<T> {
  resolve(result: IteratorResult<T>): void;
  reject(err: unknown): void;
}

/**
 * An async queue: items in order, then either a clean end or one error (after the items
 * already queued). `close()` ends at once, dropping queued items.
 */
export class ResponseQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private error: { err: unknown } | undefined;
  private ended = false;

  get size(): number {
    return this.items.length;
  }

  get done(): boolean {
    return this.ended || this.error !== undefined;
  }

  push(item: T): void {
    if (this.done) return;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.error = { err };
    this.flush();
  }

  close(): void {
    this.items.length = 0;
    this.ended = true;
    this.error = undefined;
    this.flush();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.error !== undefined) {
      const { err } = this.error;
      // Report the error once, then behave as ended.
      this.error = undefined;
      this.ended = true;
      return Promise.reject(err);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  private flush(): void {
    for (const waiter of this.waiters.splice(0)) this.next().then(waiter.resolve, waiter.reject);
  }
}
