/**
 * One listener per signal, however many calls share it. Apps pass one shutdown signal to every call; adding a
 * listener per call would trip Node's MaxListenersExceededWarning past ten concurrent calls, and raising the
 * signal's limit would change an object the app owns. The listener is removed when its last subscriber leaves.
 */
interface FanOut {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const fanOuts = new WeakMap<AbortSignal, FanOut>();

function fanOutOf(signal: AbortSignal): FanOut {
  let fan = fanOuts.get(signal);
  if (fan === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      fanOuts.delete(signal);
      for (const callback of callbacks) callback();
    };
    fan = { callbacks, listener };
    fanOuts.set(signal, fan);
    signal.addEventListener('abort', listener, { once: true });
  }
  return fan;
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
  const fan = fanOutOf(signal);
  // A wrapper per subscription: the same callback may be subscribed twice and unsubscribed independently.
  const entry = (): void => callback();
  fan.callbacks.add(entry);
  return () => {
    if (!fan.callbacks.delete(entry) || fan.callbacks.size > 0) return;
    if (fanOuts.get(signal) === fan) fanOuts.delete(signal);
    signal.removeEventListener('abort', fan.listener);
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
