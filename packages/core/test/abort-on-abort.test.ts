import { describe, expect, it } from 'vitest';
import { linkedSignal, onAbort } from '../src/abort/on-abort.js';

function captureWarnings(): { warnings: Error[]; stop: () => void } {
  const warnings: Error[] = [];
  const listener = (w: Error): void => void warnings.push(w);
  process.on('warning', listener);
  return { warnings, stop: () => process.off('warning', listener) };
}

describe('onAbort', () => {
  it('shares one listener: 100 subscribers on one signal print no MaxListenersExceededWarning', async () => {
    const { warnings, stop } = captureWarnings();
    const controller = new AbortController();
    let fired = 0;
    const offs = Array.from({ length: 100 }, () => onAbort(controller.signal, () => fired++));
    offs[0]!();
    controller.abort();
    await new Promise((r) => setImmediate(r));
    stop();
    expect(fired).toBe(99);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('calls back at once on an aborted signal, and never after unsubscribing', () => {
    let fired = 0;
    onAbort(AbortSignal.abort(), () => fired++);
    expect(fired).toBe(1);
    const controller = new AbortController();
    const off = onAbort(controller.signal, () => fired++);
    off();
    controller.abort();
    expect(fired).toBe(1);
  });

  it('linkedSignal follows the parent reason and times out with a TimeoutError', async () => {
    const parent = new AbortController();
    const linked = linkedSignal(parent.signal);
    parent.abort(new Error('shutdown'));
    expect((linked.signal.reason as Error).message).toBe('shutdown');
    const timed = linkedSignal(undefined, 5);
    await new Promise((r) => setTimeout(r, 30));
    expect((timed.signal.reason as Error).name).toBe('TimeoutError');
    timed.dispose();
  });
});

describe('onAbort cleanup', () => {
  it('removes its one listener when the last subscriber leaves', async () => {
    const { getEventListeners } = await import('node:events');
    const controller = new AbortController();
    const offs = Array.from({ length: 20 }, () => onAbort(controller.signal, () => undefined));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const off of offs) off();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    let fired = 0;
    const off = onAbort(controller.signal, () => fired++);
    controller.abort();
    off();
    expect(fired).toBe(1);
  });
});
