import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Driver, LazyDriver } from '../backend/driver.js';
import { ConfigError } from '../errors/internal-error.js';

/** A driver the registry knows by package name and loads only when selected. */
export interface Builtin {
  readonly type: string;
  readonly packageName: string;
  readonly exportName: string;
}

const BUILTINS: readonly Builtin[] = [
  { type: 'etcd3', packageName: '@storagebackend/driver-etcd3', exportName: 'etcd3Driver' },
  { type: 'memory', packageName: '@storagebackend/driver-memory', exportName: 'memoryDriver' },
  { type: 'sqlite', packageName: '@storagebackend/driver-sqlite', exportName: 'sqliteDriver' },
  { type: 'redis', packageName: '@storagebackend/driver-redis', exportName: 'redisDriver' },
];

const isModuleNotFound = (err: unknown) =>
  ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes((err as { code?: string })?.code ?? '');

/**
 * Imports a driver package as the application sees it: from this package first, then from the working directory and
 * the main script's directory, since with strict installs only the application depends on its driver.
 */
async function importFromApp(packageName: string): Promise<Record<string, unknown>> {
  try {
    return (await import(packageName)) as Record<string, unknown>;
  } catch (err) {
    if (!isModuleNotFound(err)) throw err;
  }
  const bases = [join(process.cwd(), 'noop.js'), ...(process.argv[1] ? [process.argv[1]] : [])];
  for (const base of bases) {
    let resolved: string;
    try {
      resolved = createRequire(base).resolve(packageName);
    } catch {
      continue;
    }
    return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  }
  throw Object.assign(new Error(`Cannot find package '${packageName}'`), { code: 'ERR_MODULE_NOT_FOUND' });
}

export function lazyBuiltin({ type, packageName, exportName }: Builtin): LazyDriver {
  return {
    type,
    async load(): Promise<Driver> {
      let mod: Record<string, unknown>;
      try {
        mod = await importFromApp(packageName);
      } catch (err) {
        if (!isModuleNotFound(err)) throw err;
        throw new ConfigError(
          'DriverNotInstalled',
          `storage type "${type}" needs the package ${packageName}, which is not installed (npm install ${packageName})`,
          err,
        );
      }
      const driver = mod[exportName] as Driver | undefined;
      if (!driver || typeof driver.createBackend !== 'function') {
        throw new ConfigError('DriverNotInstalled', `${packageName} does not export ${exportName}`);
      }
      return driver;
    },
  };
}

/** Lazy registrations of the built-in drivers, by package name. */
export const builtinDrivers: readonly LazyDriver[] = BUILTINS.map(lazyBuiltin);
