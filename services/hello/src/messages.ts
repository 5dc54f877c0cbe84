import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Logger } from "@flotilla/service-kit";

const MAX_FILE_BYTES = 64 * 1024;

/** Parses a messages file: one message per line; blank lines and `#` comments are skipped. */
export function parseMessagesFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
}

/**
 * The messages `/` shows: from MESSAGES, replaced by MESSAGES_FILE's content whenever that file
 * holds good messages. A missing, empty, oversized or unreadable file keeps the last good list.
 */
export class MessageSource {
  #current: string[];
  #lastText: string | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #debounce: NodeJS.Timeout | undefined;
  readonly #file: string | undefined;
  readonly #log: Logger;
  readonly #reloadMs: number;

  constructor(options: { initial: string[]; file?: string | undefined; reloadMs: number; log: Logger }) {
    this.#current = options.initial;
    this.#file = options.file;
    this.#log = options.log;
    this.#reloadMs = options.reloadMs;
  }

  get current(): readonly string[] {
    return this.#current;
  }

  /** Reads the file once and starts watching it. */
  async start(): Promise<void> {
    if (!this.#file) return;
    await this.reload();
    // Watch the directory, not the file: Kubernetes updates a ConfigMap volume by swapping a
    // `..data` symlink, which replaces the file's inode and ends a watch on the file itself.
    try {
      this.#watcher = watch(dirname(this.#file), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(this.#file ?? "") || name.startsWith("..")) this.#scheduleReload();
      });
      this.#watcher.on("error", (error) => this.#log.warn({ err: error }, "messages file watch failed; polling only"));
    } catch (error) {
      this.#log.warn({ err: error, file: this.#file }, "cannot watch messages file directory; polling only");
    }
    this.#timer = setInterval(() => void this.reload(), this.#reloadMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#watcher?.close();
    clearInterval(this.#timer);
    clearTimeout(this.#debounce);
  }

  /** Re-reads the file; keeps the current messages (and warns) if it is not usable. */
  async reload(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    let text: string;
    try {
      const bytes = await readFile(file);
      if (bytes.length > MAX_FILE_BYTES) throw new Error(`file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES}`);
      text = bytes.toString("utf8");
    } catch (error) {
      this.#warnOnce(
        `unreadable:${(error as Error).message}`,
        { file, err: error },
        "messages file unreadable; keeping the last good messages",
      );
      return;
    }
    if (text === this.#lastText) return;
    this.#lastText = text;
    const messages = parseMessagesFile(text);
    if (messages.length === 0) {
      this.#warnOnce("empty", { file }, "messages file has no messages; keeping the last good messages");
      return;
    }
    this.#current = messages;
    this.#lastWarning = undefined;
    this.#log.info({ file, count: messages.length }, "messages reloaded");
  }

  #lastWarning: string | undefined;

  // The poll would repeat the same warning every interval; say it once per distinct problem.
  #warnOnce(key: string, details: object, message: string): void {
    if (this.#lastWarning === key) return;
    this.#lastWarning = key;
    this.#log.warn(details, message);
  }

  #scheduleReload(): void {
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.reload(), 50);
    this.#debounce.unref();
  }
}
