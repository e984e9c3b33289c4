import type { Clock, Timer } from '@storagebackend/core';

// setTimeout fires at once for delays beyond 2^31-1 ms, so longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs `fn` once `ms` have passed on `clock`, for any `ms`. */
export function setLongTimer(clock: Clock, fn: () => void, ms: number): Timer {
  const due = clock.now() + ms;
  let timer: Timer;
  const arm = (delay: number): void => {
    timer = clock.setTimer(fire, Math.min(Math.max(0, delay), MAX_TIMER_MS));
  };
  const fire = (): void => {
    const remaining = due - clock.now();
    if (remaining > 0) arm(remaining);
    else fn();
  };
  arm(ms);
  return { cancel: () => timer.cancel() };
}
