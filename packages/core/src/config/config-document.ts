import { parseAllDocuments } from 'yaml';
import { DURATION_FIELDS as DURATIONS, validateBaseConfig } from '../registry/validate-config.js';
import { completeConfig } from './complete-config.js';
import { ConfigFieldError } from './config-field-error.js';
import { mergeConfigLayers, selectionToPartial } from './merge-config.js';
import type { PartialConfig } from './partial-config.js';
import { parseBackendUrl } from './url/parse-backend-url.js';

const TOP_LEVEL = new Set<string>(['backend', 'type', 'prefix', 'transport', 'leaseManagerConfig', 'driverOptions', ...DURATIONS]);
const TRANSPORT = new Set(['serverList', 'keyFile', 'certFile', 'trustedCAFile']);
const LEASE = new Set(['reuseDurationSeconds', 'maxObjectCount']);

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(source: string, field: string, detail: string): never {
  throw new ConfigFieldError(field, `${detail} (in ${source})`);
}

function checkKeys(source: string, doc: Doc, known: Set<string>, path: string): void {
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) fail(source, `${path}${key}`, `unknown field (known: ${[...known].join(', ')})`);
  }
}

function stringField(source: string, doc: Doc, key: string, path = ''): string | undefined {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(source, `${path}${key}`, 'must be a string');
  return value;
}

function numberField(source: string, doc: Doc, key: string, path = ''): number | undefined {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(source, `${path}${key}`, 'must be a number');
  return value;
}

function objectField(source: string, doc: Doc, key: string): Doc | undefined {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) fail(source, key, 'must be a mapping');
  return value;
}

/**
 * Reads a config document (the object of a YAML/JSON file) into a partial config. Fields: `backend` (a URL, as
 * for `configFromUrl`), or `type` + `transport.serverList`; `prefix`; `transport.{keyFile,certFile,trustedCAFile}`;
 * the `…Ms` durations; `leaseManagerConfig`; `driverOptions`. Unknown fields are errors, naming them.
 */
export function parseConfigDocument(doc: unknown, source = 'config'): PartialConfig {
  if (!isObject(doc)) fail(source, 'config', 'must be a mapping of config fields');
  checkKeys(source, doc, TOP_LEVEL, '');
  const transport = objectField(source, doc, 'transport');
  if (transport) checkKeys(source, transport, TRANSPORT, 'transport.');
  const lease = objectField(source, doc, 'leaseManagerConfig');
  if (lease) checkKeys(source, lease, LEASE, 'leaseManagerConfig.');
  const driverOptions = objectField(source, doc, 'driverOptions');

  const backend = stringField(source, doc, 'backend');
  let serverList: string[] | undefined;
  if (transport?.serverList !== undefined && transport.serverList !== null) {
    const list = transport.serverList;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s === '')) {
      fail(source, 'transport.serverList', 'must be a list of non-empty strings');
    }
    serverList = list as string[];
  }
  const type = stringField(source, doc, 'type');
  if (backend !== undefined && (type !== undefined || serverList !== undefined)) {
    fail(source, 'backend', 'give either backend (a URL) or type and transport.serverList, not both');
  }
  let fromUrl: PartialConfig | undefined;
  if (backend !== undefined) {
    try {
      fromUrl = selectionToPartial(parseBackendUrl(backend, 'backend'));
    } catch (err) {
      if (err instanceof ConfigFieldError) fail(source, 'backend', err.message.replace(/^invalid storage config: backend: /, ''));
      throw err;
    }
  }
  const fields: PartialConfig = {
    type,
    prefix: stringField(source, doc, 'prefix'),
    transport: {
      serverList,
      keyFile: transport && stringField(source, transport, 'keyFile', 'transport.'),
      certFile: transport && stringField(source, transport, 'certFile', 'transport.'),
      trustedCAFile: transport && stringField(source, transport, 'trustedCAFile', 'transport.'),
    },
    leaseManagerConfig: {
      reuseDurationSeconds: lease && numberField(source, lease, 'reuseDurationSeconds', 'leaseManagerConfig.'),
      maxObjectCount: lease && numberField(source, lease, 'maxObjectCount', 'leaseManagerConfig.'),
    },
    ...(driverOptions ? { driverOptions } : {}),
  };
  for (const name of DURATIONS) fields[name] = numberField(source, doc, name);
  const partial = mergeConfigLayers([fromUrl, fields]);
  // Ranges are judged here too, so the message can say which file holds the bad value.
  try {
    validateBaseConfig(completeConfig(partial));
  } catch (err) {
    if (err instanceof ConfigFieldError) fail(source, err.field, err.message.replace(/^invalid storage config: [^:]+: /, ''));
    throw err;
  }
  return partial;
}

/** Parses the text of a YAML or JSON config file (one document) into a partial config. */
export function parseConfigText(text: string, source = 'config'): PartialConfig {
  const docs = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(docs)) fail(source, 'file', 'is empty');
  if (docs.length === 0) fail(source, 'file', 'is empty');
  if (docs.length > 1) fail(source, 'file', `holds ${docs.length} documents; a config file holds one`);
  const doc = docs[0]!;
  const error = doc.errors[0];
  if (error) fail(source, 'file', `is not valid YAML or JSON: ${error.message.split('\n')[0]}`);
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) fail(source, 'file', 'is empty');
  return parseConfigDocument(value, source);
}
