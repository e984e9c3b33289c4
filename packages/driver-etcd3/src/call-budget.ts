import { BackendError, linkedSignal } from '@storagebackend/core';
import type { CallControl } from './client/etcd-client.js';

/**
 * Runs several calls under one shared time budget (and the caller's signal): each call gets the combined
 * signal, so the whole sequence ends within `budgetMs`. Running out is a `Timeout` BackendError; the caller's
 * own abort passes through unchanged. The caller's signal gets no listener of its own (apps share one
 * shutdown signal across many calls).
 */
export async function withinBudget<T>(
  control: CallControl,
  budgetMs: number,
  what: string,
  run: (control: CallControl) => Promise<T>,
): Promise<T> {
  const { signal, dispose } = linkedSignal(control.signal, budgetMs);
  try {
    return await run({ signal });
  } catch (err) {
    if (signal.aborted && control.signal?.aborted !== true) {
      throw new BackendError('Timeout', `etcd ${what} did not finish within ${budgetMs} ms`, { cause: err });
    }
    throw err;
  } finally {
    dispose();
  }
}
