import { newInvalidObjError } from '../errors/storage-error.js';
import type { StorageObject } from '../storage/object.js';
import type { Preconditions } from '../storage/options.js';

/** Kubernetes `Preconditions.Check`: UID and resourceVersion must match the object's metadata. */
export function checkPreconditions(key: string, preconditions: Preconditions | undefined, obj: StorageObject): void {
  if (!preconditions) return;
  const uid = obj.metadata?.uid ?? '';
  if (preconditions.uid !== undefined && preconditions.uid !== uid) {
    throw newInvalidObjError(
      key,
      `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${uid}`,
    );
  }
  const rv = obj.metadata?.resourceVersion ?? '';
  if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== rv) {
    throw newInvalidObjError(
      key,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${rv}`,
    );
  }
}
