import type { PartialConfig } from './partial-config.js';
import type { BackendSelection } from './url/backend-selection.js';

/** A partial config whose backend (type, servers, URL-implied driver options) comes from a URL. */
export function selectionToPartial(selection: BackendSelection): PartialConfig {
  return {
    type: selection.type,
    transport: { serverList: selection.serverList },
    ...(selection.driverOptions ? { driverOptions: selection.driverOptions } : {}),
  };
}

const namesBackend = (layer: PartialConfig): boolean => layer.type !== undefined || layer.transport?.serverList !== undefined;

/**
 * Merges layers, later ones winning field by field. A layer that names a backend (type or serverList) replaces the
 * earlier backend as a whole, driver options included, so a file's SQLite options never reach a Redis URL from
 * the environment. TLS file paths and durations merge field by field.
 */
export function mergeConfigLayers(layers: readonly (PartialConfig | undefined)[]): PartialConfig {
  let out: PartialConfig = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    const replacesBackend = namesBackend(layer);
    const prev = out;
    out = {
      ...prev,
      ...stripUndefined(layer),
      transport: { ...prev.transport, ...(replacesBackend ? { serverList: undefined } : {}), ...stripUndefined(layer.transport ?? {}) },
      leaseManagerConfig: { ...prev.leaseManagerConfig, ...stripUndefined(layer.leaseManagerConfig ?? {}) },
    };
    if (replacesBackend) {
      out.type = layer.type;
      out.driverOptions = layer.driverOptions;
    } else if (layer.driverOptions !== undefined) {
      out.driverOptions = { ...prev.driverOptions, ...layer.driverOptions };
    }
  }
  return out;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
