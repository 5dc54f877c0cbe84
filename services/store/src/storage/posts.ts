/** A post as the API returns it; `id` is an ObjectId-shaped 24-hex string on every backend. */
export interface Post {
  id: string;
  title: string;
  content: string;
}

export interface NewPost {
  title: string;
  content: string;
}

/** Posts storage (MongoDB in production, SQLite embedded). Errors: UnavailableError. */
export interface PostStore {
  readonly backend: string;
  migrate(): Promise<number>;
  create(post: NewPost): Promise<Post>;
  get(id: string): Promise<Post | null>;
  /** Keyset page: posts with id > afterId (24-hex, or "" for the start), ascending. */
  list(limit: number, afterId: string): Promise<Post[]>;
  delete(id: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** ObjectId text form: 24 lowercase or uppercase hex digits. */
export const OBJECT_ID_PATTERN = /^[0-9a-fA-F]{24}$/;
