import { readFile } from 'node:fs/promises';
import type { StorageObject } from '@storagebackend/core';
import { parseAllDocuments } from 'yaml';
import { CommandError } from './usage-error.js';

/** One object read from a file, with where it came from for messages. */
export interface ManifestObject {
  readonly object: StorageObject;
  readonly source: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readSource(file: string, stdin: () => Promise<string>): Promise<string> {
  if (file === '-') return stdin();
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CommandError(code === 'ENOENT' ? `the path "${file}" does not exist` : `the path "${file}" cannot be read (${code ?? 'error'})`);
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const brief = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** Checks what kubectl checks before sending: a kind and a name. */
function checkObject(value: unknown, source: string): StorageObject {
  if (!isObject(value)) throw new CommandError(`error validating "${source}": the document is not an object: ${brief(value)}`);
  if (typeof value.kind !== 'string' || value.kind === '') {
    throw new CommandError(`unable to decode "${source}": Object 'Kind' is missing in '${brief(value)}'`);
  }
  const metadata = value.metadata;
  if (metadata !== undefined && !isObject(metadata)) throw new CommandError(`error validating "${source}": metadata must be an object`);
  const name = (metadata as Record<string, unknown> | undefined)?.name;
  if (typeof name !== 'string' || name === '') throw new CommandError(`error validating "${source}": resource name may not be empty`);
  return value as StorageObject;
}

/**
 * Reads `-f FILE` (or `-` for stdin): JSON or YAML, several documents, `kind: List` expanded. Every document is
 * checked before anything is written, so a bad file writes nothing.
 */
export async function readManifests(files: readonly string[], stdin: () => Promise<string> = readStdin): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const file of files) {
    const source = file === '-' ? 'STDIN' : file;
    const text = await readSource(file, stdin);
    const docs = parseAllDocuments(text, { prettyErrors: false });
    for (const doc of Array.isArray(docs) ? docs : []) {
      const error = doc.errors[0];
      if (error) throw new CommandError(`error parsing ${source}: ${error.message.split('\n')[0]}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      const items = isObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
      for (const item of items) out.push({ object: checkObject(item, source), source });
    }
  }
  if (out.length === 0) throw new CommandError('no objects passed to apply');
  return out;
}
