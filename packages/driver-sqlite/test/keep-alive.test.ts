import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureChild } from './child.js';
import { enc, openTemp, type Opened } from './helpers.js';

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('process lifetime', () => {
  let t: Opened;
  beforeEach(async () => {
    t = await openTemp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('an open watch keeps a process alive; once it is stopped the process exits on its own', async () => {
    const child = new FixtureChild('watcher.ts', [t.path]);
    let exited = false;
    void child.exited.then(() => (exited = true));
    await child.until(() => child.saw('watching'));
    // Many poll intervals later, with nothing written, the watch is still there…
    await settle(1500);
    expect(exited, child.stderr).toBe(false);
    // …and sees writes made by another process.
    await t.backend.optimisticPut('/w/a', enc('1'), 0);
    await child.until(() => child.saw('event /w/a'), 10_000);
    // Ending the watch (its backend stays open) lets the process end.
    await t.backend.optimisticPut('/w/stop', enc('1'), 0);
    const { code } = await child.exited;
    expect(code, child.stderr).toBe(0);
    expect(child.lines).toEqual(['watching', 'event /w/a', 'event /w/stop', 'stopped']);
  }, 90_000);
});
