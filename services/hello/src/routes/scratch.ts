import { createHash, randomUUID } from "node:crypto";
import { access, constants, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";

const ID = /^[a-f0-9]{64}$/;

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

/** `POST /scratch` stores any body and answers its id; `GET /scratch/:id` returns it. */
export function scratchRoutes(app: FastifyInstance, store: ScratchStore, maxBytes: number): void {
  app.register(async (scope) => {
    // Any content type is stored as raw bytes; only in this scope.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: maxBytes }, (_request, body, done) => {
      done(null, body);
    });

    scope.post("/scratch", { bodyLimit: maxBytes }, async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        return reply.code(400).send({ error: "request body is empty; send the bytes to store" });
      }
      try {
        const id = await store.put(body);
        return reply.code(201).header("location", `/scratch/${id}`).send({ id, bytes: body.length });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOSPC" || code === "EDQUOT") return reply.code(507).send({ error: "temporary storage is full" });
        if (code === "EROFS" || code === "EACCES") return reply.code(503).send({ error: "temporary storage is not writable" });
        throw error;
      }
    });

    scope.get<{ Params: { id: string } }>("/scratch/:id", async (request, reply) => {
      const { id } = request.params;
      if (!ID.test(id)) return reply.code(400).send({ error: "id must be 64 lowercase hex characters (a SHA-256)" });
      const data = await store.get(id);
      if (!data) return reply.code(404).send({ error: `no scratch data with id ${id}` });
      return reply.type("application/octet-stream").send(data);
    });
  });
}
