import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendError } from '@storagebackend/core';
import type { FeedEvent } from '../src/events.js';
import { Feed } from '../src/feed.js';
import { prepareStatements } from '../src/statements.js';
import { enc, openTemp, type Opened } from './helpers.js';

class RecordingSink {
  readonly wantsPrevKv = false;
  nextRevision: number;
  readonly revisions: number[] = [];
  replays = 0;
  failures: BackendError[] = [];

  constructor(nextRevision: number) {
    this.nextRevision = nextRevision;
  }

  deliver(events: readonly FeedEvent[], upTo: number): void {
    this.revisions.push(...events.map((e) => e.rev));
    this.nextRevision = upTo + 1;
  }

  fail(error: BackendError): void {
    this.failures.push(error);
  }

  replay(): void {
    this.replays++;
  }
}

describe('the feed catching up on revisions written by another connection', () => {
  let t: Opened;
  let db: Database.Database;
  beforeEach(async () => {
    t = await openTemp();
    await Promise.all(Array.from({ length: 3000 }, (_, i) => t.backend.optimisticPut(`/k/${i}`, enc('v'), 0))); // 2 .. 3001
    db = new Database(t.path, { readonly: true });
  });
  afterEach(async () => {
    db.close();
    await t.close();
  });

  it('hands a small backlog to its watchers in one go', () => {
    const feed = new Feed(prepareStatements(db), 2900);
    const sink = new RecordingSink(2901);
    feed.add(sink);
    feed.catchUp(3001, 0);
    expect(sink.revisions).toEqual(Array.from({ length: 101 }, (_, i) => 2901 + i));
    expect(sink.replays).toBe(0);
    expect(feed.dispatched).toBe(3001);
  });

  it('never reads a large backlog in one call: it skips to the head and sends its watchers back to history', () => {
    const feed = new Feed(prepareStatements(db), 1);
    const sink = new RecordingSink(2);
    feed.add(sink);
    feed.catchUp(3001, 0);
    expect(sink.revisions).toEqual([]);
    expect(sink.replays).toBe(1);
    expect(sink.failures).toEqual([]);
    expect(feed.dispatched).toBe(3001);
    // The watcher left the feed; it rejoins once its replay has caught up.
    feed.publish([], 3002);
    expect(sink.nextRevision).toBe(2);
  });
});
