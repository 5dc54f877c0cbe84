/**
 * Expiring key/value storage (Redis in production, an in-memory TTL map embedded), used for
 * sessions and for the users read cache. Errors: UnavailableError.
 */
export interface KeyValueStore {
  readonly backend: string;
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key` for `ttlSeconds` (> 0), replacing any previous value. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Like set, but only when the key is absent (Redis `SET NX`); true when stored. */
  add(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** True when a key was removed. */
  del(key: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
