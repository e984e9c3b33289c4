export { memoryDriver, createMemoryDriver, type MemoryDriverOptions } from './memory-driver.js';
export { MemoryBackend, type MemoryBackendOptions } from './memory-backend.js';
export { DEFAULT_PROGRESS_NOTIFY_INTERVAL_MS } from './options.js';
export { MAX_COMPACTED_BACKLOG_EVENTS } from './memory-watch.js';
