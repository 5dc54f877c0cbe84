/**
 * One switch for every store test: with STORE_IT=1 the suites run against the real servers named
 * by MYSQL_HOST / MONGO_HOST / REDIS_HOST (tier store starts them); otherwise on embedded
 * storage. Same tests, both ways.
 */
export const realServers = process.env.STORE_IT === "1";

const DB_VARIABLES = [
  "MYSQL_HOST",
  "MYSQL_PORT",
  "MYSQL_USER",
  "MYSQL_PASSWORD",
  "MYSQL_PASSWORD_FILE",
  "MYSQL_DB_NAME",
  "MONGO_HOST",
  "MONGO_PORT",
  "MONGO_USER",
  "MONGO_PASSWORD",
  "MONGO_PASSWORD_FILE",
  "MONGO_DB_NAME",
  "REDIS_HOST",
  "REDIS_PORT",
  "REDIS_PASSWORD",
  "REDIS_PASSWORD_FILE",
  "REDIS_DB",
];

/** The database part of the environment for the service under test. */
export function databaseEnv(): Record<string, string> {
  if (!realServers) return {};
  for (const required of ["MYSQL_HOST", "MONGO_HOST", "REDIS_HOST"]) {
    if (!process.env[required])
      throw new Error(`STORE_IT=1 needs ${required} (scripts/store-servers.sh starts them; see services/store/README.md)`);
  }
  const env: Record<string, string> = {};
  for (const k of DB_VARIABLES) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/** A suffix that keeps rows from separate runs against the same real databases apart. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
