/**
 * One listener per signal, however many calls share it. Apps pass one shutdown signal to every call; adding a
 * listener per call would trip Node's MaxListenersExceededWarning past ten concurrent calls, and raising the
 * signal's limit would change an object the app owns.
 */
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

function fanOut(signal: AbortSignal): Set<() => void> {
  let set = subscribers.get(signal);
  if (set === undefined) {
    const created = new Set<() => void>();
    set = created;
    subscribers.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        subscribers.delete(signal);
        for (const callback of created) callback();
      },
      { once: true },
    );
  }
  return set;
}

/**
 * Runs `callback` once when `signal` aborts (at once, synchronously, if it already has) and returns the function
 * that unsubscribes it. Every call on the same signal shares one underlying listener.
 *
 * @example
 * const off = onAbort(signal, () => call.cancel());
 * try { return await call; } finally { off(); }
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    callback();
    return noop;
  }
  const set = fanOut(signal);
  // A wrapper per subscription: the same callback may be subscribed twice and unsubscribed independently.
  const entry = (): void => callback();
  set.add(entry);
  return () => {
    set.delete(entry);
  };
}

/**
 * A signal that aborts when `signal` does or after `ms` on the real clock, with the parent's reason or a
 * TimeoutError; `dispose()` releases the subscription and the timer.
 *
 * @example
 * const { signal: deadline, dispose } = linkedSignal(options.signal, 10_000);
 * try { await call({ signal: deadline }); } finally { dispose(); }
 */
export function linkedSignal(signal: AbortSignal | undefined, ms?: number): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const off = signal === undefined ? noop : onAbort(signal, () => controller.abort(signal.reason));
  const timer =
    ms === undefined
      ? undefined
      : setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms);
  return {
    signal: controller.signal,
    dispose: () => {
      off();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

function noop(): void {}
