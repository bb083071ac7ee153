import { StreamVersionConflictError } from '@vigil/event-store';

/** Enough for a burst of reports about one person; a conflict that outlives it is answered as an error. */
const MAX_ATTEMPTS = 5;

/**
 * Runs `decideAndAppend` again, from its reads, when another writer moved a stream it read between
 * its read and its append (StreamVersionConflictError); any other error, or the last conflict, is thrown.
 * `decideAndAppend` must read what it decides on inside the attempt, so a retry decides on fresh state.
 */
export async function retryOnStreamConflict<T>(decideAndAppend: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await decideAndAppend();
    } catch (error) {
      if (!(error instanceof StreamVersionConflictError) || attempt === MAX_ATTEMPTS) throw error;
    }
  }
}
