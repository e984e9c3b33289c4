// The kit README's five-line example, as written, against the memory driver (through the package's public entry).
import { runConformance } from '@storagebackend/conformance';
import { memoryDriver } from '@storagebackend/driver-memory';
import { memoryConfig, PROGRESS_NOTIFY_INTERVAL_MS } from './teeth/memory-target.js';

runConformance({
  name: 'memory',
  createBackend: () => memoryDriver.createBackend(memoryConfig()),
  progressNotifyWithinMs: PROGRESS_NOTIFY_INTERVAL_MS * 5,
});
