/** A user as the API returns it: the password hash never leaves the storage layer's callers. */
export interface User {
  id: number;
  username: string;
  name: string;
  email: string;
}

export interface NewUser {
  username: string;
  name: string;
  email: string;
  passwordHash: string;
}

/** Users storage (MySQL in production, SQLite embedded). Errors: ConflictError, UnavailableError. */
export interface UserStore {
  /** Backend name for logs and readiness details. */
  readonly backend: string;
  /** Applies pending schema migrations; returns how many were applied (0 when up to date). */
  migrate(): Promise<number>;
  create(user: NewUser): Promise<User>;
  get(id: number): Promise<User | null>;
  /** Keyset page: users with id > afterId, ascending, at most `limit`. */
  list(limit: number, afterId: number): Promise<User[]>;
  delete(id: number): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
