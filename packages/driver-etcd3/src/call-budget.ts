import { BackendError } from '@storagebackend/core';
import type { CallControl } from './client/etcd-client.js';

/**
 * Runs several calls under one shared time budget (and the caller's signal): each call gets the combined
 * signal, so the whole sequence ends within `budgetMs`. Running out is a `Timeout` BackendError; the caller's
 * own abort passes through unchanged.
 */
export async function withinBudget<T>(
  control: CallControl,
  budgetMs: number,
  what: string,
  run: (control: CallControl) => Promise<T>,
): Promise<T> {
  const budget = AbortSignal.timeout(budgetMs);
  const signal = control.signal === undefined ? budget : AbortSignal.any([control.signal, budget]);
  try {
    return await run({ signal });
  } catch (err) {
    if (budget.aborted && control.signal?.aborted !== true) {
      throw new BackendError('Timeout', `etcd ${what} did not finish within ${budgetMs} ms`, { cause: err });
    }
    throw err;
  }
}
