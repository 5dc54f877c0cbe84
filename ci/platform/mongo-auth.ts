// Whether a MongoDB-protocol server lets this URI write: inserts a document into
// <db>.auth_probe and deletes it. Prints "ok" and exits 0, or prints the server's refusal
// ("requires authentication", "Authentication failed") and exits 1; usage errors exit 2.
//   node ci/platform/mongo-auth.ts URI DB   (ci/platform/databases.sh: FerretDB's accounts)
import { MongoClient } from "mongodb";

export async function canWrite(uri: string, db: string, timeoutMs = 5000): Promise<string> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    const probe = client.db(db).collection("auth_probe");
    const { insertedId } = await probe.insertOne({ at: new Date() });
    await probe.deleteOne({ _id: insertedId });
    return "ok";
  } finally {
    await client.close();
  }
}

if (import.meta.main) {
  const [uri, db] = process.argv.slice(2);
  if (!uri || !db) {
    console.error("usage: node ci/platform/mongo-auth.ts URI DB");
    process.exit(2);
  }
  try {
    console.log(await canWrite(uri, db));
  } catch (e) {
    console.log((e as Error).message);
    process.exitCode = 1;
  }
}
