import type { BackendWatchEvent } from '@storagebackend/core';
import { decodeRecord, isTombstone } from './record.js';

/** One event of a stream entry, decoded lazily and shared by every watch that takes it. */
export class StreamEvent {
  readonly key: string;
  readonly #rec: Buffer;
  readonly #prev: Buffer | null;
  #withPrev: BackendWatchEvent | undefined;
  #withoutPrev: BackendWatchEvent | undefined;

  constructor(key: string, rec: Buffer, prev: Buffer | null) {
    this.key = key;
    this.#rec = rec;
    this.#prev = prev;
  }

  view(prevKv: boolean): BackendWatchEvent {
    if (prevKv) {
      return (this.#withPrev ??= {
        ...this.view(false),
        prevKv: this.#prev ? decodeRecord(this.key, this.#prev, true) : null,
      });
    }
    return (this.#withoutPrev ??= {
      type: isTombstone(this.#rec) ? 'delete' : 'put',
      kv: decodeRecord(this.key, this.#rec, true),
      prevKv: null,
    });
  }
}

/** The events of one revision, as its stream entry `<rev>-0` holds them. */
export interface StreamEntry {
  readonly rev: number;
  readonly events: readonly StreamEvent[];
}

/** Parses XRANGE/XREAD entries `[id, [key, record, ('', previous)?, …]]`. */
export function parseEntries(raw: unknown): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const item of raw as [Buffer, Buffer[]][]) {
    const [id, fields] = item;
    const text = id.toString('latin1');
    const rev = Number(text.slice(0, text.indexOf('-')));
    const events: StreamEvent[] = [];
    for (let i = 0; i < fields.length; i += 2) {
      const key = fields[i]!.toString('utf8');
      const rec = fields[i + 1]!;
      let prev: Buffer | null = null;
      if (i + 2 < fields.length && fields[i + 2]!.length === 0) {
        prev = fields[i + 3]!;
        i += 2;
      }
      events.push(new StreamEvent(key, rec, prev));
    }
    out.push({ rev, events });
  }
  return out;
}
