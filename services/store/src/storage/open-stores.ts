import type { KeyValueStore } from "./key-value.ts";
import { MemoryKeyValueStore } from "./kv-memory.ts";
import { RedisKeyValueStore, type RedisOptions } from "./kv-redis.ts";
import type { PostStore } from "./posts.ts";
import { type MongoOptions, MongoPostStore } from "./posts-mongo.ts";
import { SqlitePostStore } from "./posts-sqlite.ts";
import type { UserStore } from "./users.ts";
import { type MysqlOptions, MysqlUserStore } from "./users-mysql.ts";
import { SqliteUserStore } from "./users-sqlite.ts";

/** Which backend each store uses: a real server when its options are present, else embedded. */
export interface StorageSettings {
  mysql: MysqlOptions | null;
  mongo: MongoOptions | null;
  redis: RedisOptions | null;
  sqlitePath: string;
  sessionMaxEntries: number;
}

export interface Stores {
  users: UserStore;
  posts: PostStore;
  /** Sessions and the users read cache. */
  kv: KeyValueStore;
}

export function openStores(s: StorageSettings): Stores {
  return {
    users: s.mysql ? new MysqlUserStore(s.mysql) : new SqliteUserStore(s.sqlitePath),
    posts: s.mongo ? new MongoPostStore(s.mongo) : new SqlitePostStore(s.sqlitePath),
    kv: s.redis ? new RedisKeyValueStore(s.redis) : new MemoryKeyValueStore({ maxEntries: s.sessionMaxEntries }),
  };
}

export async function closeStores(stores: Stores): Promise<void> {
  await Promise.allSettled([stores.users.close(), stores.posts.close(), stores.kv.close()]);
}
