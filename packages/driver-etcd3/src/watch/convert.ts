import type { BackendWatchEvent } from '@storagebackend/core';
import type { IEvent } from 'etcd3';
import { toKeyValue } from '../client/kv.js';

// etcd3's proto loader renders the event type enum as 'Put'/'Delete' (numbers if loaded differently).
function isDelete(type: unknown): boolean {
  return type === 'Delete' || type === 'DELETE' || type === 1;
}

export function toWatchEvent(event: IEvent, withPrevKv: boolean): BackendWatchEvent {
  return {
    type: isDelete(event.type) ? 'delete' : 'put',
    kv: toKeyValue(event.kv, true),
    prevKv: withPrevKv && event.prev_kv ? toKeyValue(event.prev_kv, true) : null,
  };
}
