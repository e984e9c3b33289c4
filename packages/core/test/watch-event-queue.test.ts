import { describe, expect, it } from 'vitest';
import { EventQueue } from '../src/watch/event-queue.js';
import { collected, within } from './watch-helpers.js';

describe('EventQueue', () => {
  it('keeps no reference to an item once next() handed it out, while later items still wait', async () => {
    const queue = new EventQueue<object>(100);
    const refs: WeakRef<object>[] = [];
    const fill = () => {
      for (let i = 0; i < 5; i++) {
        const item = { i, payload: new Uint8Array(1024) };
        refs.push(new WeakRef(item));
        void queue.push(item);
      }
    };
    fill();
    for (let i = 0; i < 3; i++) expect(((await queue.next()).value as { i: number }).i).toBe(i);
    expect(await collected(refs[0]!)).toBe(true);
    expect(await collected(refs[1]!)).toBe(true);
    expect(await collected(refs[2]!)).toBe(true);
    // The two not yet consumed are the queue's to keep.
    expect(refs[3]!.deref()).toBeDefined();
    expect(((await queue.next()).value as { i: number }).i).toBe(3);
  });

  it('answers next() calls made before any item in the order they were made', async () => {
    const queue = new EventQueue<string>();
    const first = queue.next();
    const second = queue.next();
    const third = queue.next();
    await queue.push('a');
    await queue.push('b');
    expect(await within(first)).toEqual({ value: 'a', done: false });
    expect(await within(second)).toEqual({ value: 'b', done: false });
    expect(await within(third)).toBe('pending');
    queue.end();
    expect(await within(third)).toEqual({ value: undefined, done: true });
  });

  it('settles every pending next() with done on end() and on abort()', async () => {
    for (const finish of ['end', 'abort'] as const) {
      const queue = new EventQueue<string>();
      const pending = [queue.next(), queue.next(), queue.next()];
      queue[finish]();
      for (const p of pending) expect(await within(p)).toEqual({ value: undefined, done: true });
    }
  });

  it('end() still drains queued items before done; abort() drops them', async () => {
    const ended = new EventQueue<string>();
    await ended.push('a');
    ended.end();
    await ended.push('late');
    expect(await ended.next()).toEqual({ value: 'a', done: false });
    expect(await ended.next()).toEqual({ value: undefined, done: true });

    const aborted = new EventQueue<string>();
    await aborted.push('a');
    aborted.abort();
    expect(await aborted.next()).toEqual({ value: undefined, done: true });
  });

  it('holds the producer above the high-water mark and lets it go as the consumer catches up', async () => {
    const queue = new EventQueue<number>(2);
    await queue.push(1);
    await queue.push(2);
    let released = false;
    const third = queue.push(3).then(() => (released = true));
    expect(await within(third, 50)).toBe('pending');
    await queue.next();
    await third;
    expect(released).toBe(true);
  });

  it('keeps order across many items pushed and read in bursts (past the compaction point)', async () => {
    const queue = new EventQueue<number>(5000);
    let read = 0;
    for (let burst = 0; burst < 4; burst++) {
      for (let i = 0; i < 1500; i++) await queue.push(burst * 1500 + i);
      for (let i = 0; i < 1400; i++) expect((await queue.next()).value).toBe(read++);
    }
    queue.end();
    while (!(await queue.next()).done) read++;
    expect(read).toBe(6000);
  });
});
