import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { CommandError } from '../usage-error.js';

/** Where an interrupted copy stands: enough to continue at the same source revision after the last copied key. */
export interface Checkpoint {
  readonly version: 1;
  readonly from: string;
  readonly to: string;
  readonly prefix: string;
  readonly sourceRevision: number;
  readonly total: number;
  readonly copied: number;
  /** The last key written to the target; the copy continues after it. */
  readonly lastKey: string | null;
}

export async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const cp = JSON.parse(text) as Checkpoint;
    if (cp.version !== 1 || typeof cp.sourceRevision !== 'number') throw new Error('unknown format');
    return cp;
  } catch (e) {
    throw new CommandError(`the checkpoint ${path} is unreadable (${(e as Error).message}); remove it or pass --force`);
  }
}

/** Written whole and renamed into place, so a crash never leaves half a checkpoint. */
export async function writeCheckpoint(path: string, cp: Checkpoint): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(cp));
  await rename(`${path}.tmp`, path);
}

export const removeCheckpoint = (path: string): Promise<void> => rm(path, { force: true });
