import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs only the teeth fixtures (deliberately broken backends); the package's own include never matches them.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { conditions: ['@storagebackend/source'] },
  ssr: { resolve: { conditions: ['@storagebackend/source'] } },
  test: { include: ['test/teeth/fixtures/*.fixture.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
