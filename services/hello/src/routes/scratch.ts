import { createHash, randomUUID } from "node:crypto";
import { access, constants, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { errorSchema, type Routes, z } from "@flotilla/service-kit";

/** Temporary data under TMPDIR (seed 001: "a volume mounted in /tmp for storing temp data"). */
export class ScratchStore {
  readonly dir: string;

  constructor(tmpdir: string) {
    this.dir = join(tmpdir, "flotilla-scratch");
  }

  /** Readiness: the directory exists and is writable (a read-only /tmp is not). */
  async check(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await access(this.dir, constants.W_OK);
  }

  /** Content-addressed: the id is the SHA-256 of the bytes, so storing twice is harmless. */
  async put(data: Buffer): Promise<string> {
    const id = createHash("sha256").update(data).digest("hex");
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a reader never sees a half-written file.
    const temp = join(this.dir, `.${randomUUID()}.tmp`);
    try {
      await writeFile(temp, data, { mode: 0o600 });
      await rename(temp, join(this.dir, id));
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return id;
  }

  async get(id: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.dir, id));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }
}

const stored = z.object({ id: z.string().describe("SHA-256 of the bytes, hex"), bytes: z.int().describe("how many bytes were stored") });
const idParams = z.object({
  id: z
    .string()
    .regex(/^[a-f0-9]{64}$/, "id must be 64 lowercase hex characters (a SHA-256)")
    .describe("the id POST /scratch answered"),
});
// Bytes of any content type. Stored bodies must not be empty: the schema says so, so the
// document states the very rule the validator enforces (minLength 1).
const bytes = z.custom<Buffer>((value) => value === undefined || Buffer.isBuffer(value)).meta({ type: "string", format: "binary" });
const someBytes = z
  .custom<Buffer>((value) => Buffer.isBuffer(value) && value.length > 0, "must not be empty: send the bytes to store")
  .meta({ type: "string", format: "binary", minLength: 1 });

/** `POST /scratch` stores any body and answers its id; `GET /scratch/:id` returns it. */
export const scratchRoutes: Routes<{ store: ScratchStore; maxBytes: number }> = async (app, { store, maxBytes }) => {
  // Any content type is stored as raw bytes (this plugin is its own scope).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: maxBytes }, (_request, body, done) => {
    done(null, body);
  });

  app.post(
    "/scratch",
    {
      bodyLimit: maxBytes,
      schema: {
        summary: "Stores the request body (1 to SCRATCH_MAX_BYTES bytes) under TMPDIR.",
        description: "Documented as application/octet-stream; a body of any other type is stored as its bytes too.",
        // Not `*/*`: clients and fuzzers would encode the `string` schema as JSON or a form.
        consumes: ["application/octet-stream"],
        body: someBytes,
        response: {
          201: stored,
          503: errorSchema.describe("temporary storage is not writable"),
          507: errorSchema.describe("temporary storage is full"),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const id = await store.put(body);
        return reply.code(201).header("location", `/scratch/${id}`).send({ id, bytes: body.length });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOSPC" || code === "EDQUOT") return reply.code(507).send({ error: "temporary storage is full" });
        if (code === "EROFS" || code === "EACCES") return reply.code(503).send({ error: "temporary storage is not writable" });
        throw error;
      }
    },
  );

  app.get(
    "/scratch/:id",
    {
      schema: {
        summary: "The bytes stored under this id.",
        params: idParams,
        produces: ["application/octet-stream"],
        response: { 200: bytes, 404: errorSchema.describe("nothing stored under this id") },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const data = await store.get(id);
      if (!data) return reply.code(404).send({ error: `no scratch data with id ${id}` });
      return reply.type("application/octet-stream").send(data);
    },
  );
};
