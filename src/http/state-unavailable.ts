import { AppError } from '../errors.ts';
import { StateStoreError } from '../state/errors.ts';

/**
 * Awaits an operation on the shared state store (STATE_STORE_URL); when the store does not answer,
 * refuses with 503 STATE_UNAVAILABLE rather than fall back to this process's own state, which the
 * other replicas cannot see.
 */
export async function orUnavailable<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (!(error instanceof StateStoreError)) throw error;
    throw new AppError('STATE_UNAVAILABLE', 'The shared state store is not reachable right now; try again shortly.', {
      cause: error,
      headers: { 'Retry-After': '5' },
    });
  }
}
