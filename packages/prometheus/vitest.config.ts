import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['@storagebackend/source'] },
  ssr: { resolve: { conditions: ['@storagebackend/source'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
