import { type FileRead, type Logger, WatchedFile } from "@flotilla/service-kit";

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
 * The file is watched by the kit's WatchedFile (a ConfigMap's symlink swap included).
 */
export class MessageSource {
  #current: string[];
  readonly #watched: WatchedFile | undefined;
  readonly #file: string | undefined;
  readonly #log: Logger;

  constructor(options: { initial: string[]; file?: string | undefined; reloadMs: number; log: Logger }) {
    this.#current = options.initial;
    this.#file = options.file;
    this.#log = options.log;
    this.#watched = options.file
      ? new WatchedFile({
          file: options.file,
          pollMs: options.reloadMs,
          maxBytes: MAX_FILE_BYTES,
          log: options.log,
          onChange: (read) => this.#apply(read),
        })
      : undefined;
  }

  get current(): readonly string[] {
    return this.#current;
  }

  /** Reads the file once and starts watching it. */
  async start(): Promise<void> {
    await this.#watched?.start();
  }

  stop(): void {
    this.#watched?.stop();
  }

  /** Re-reads the file; keeps the current messages (and warns) if it is not usable. */
  async reload(): Promise<void> {
    await this.#watched?.read();
  }

  // WatchedFile calls this only when what the file gives changes, so a broken file warns once.
  #apply(read: FileRead): void {
    const file = this.#file;
    if (read.error) {
      this.#log.warn({ file, err: read.error }, "messages file unreadable; keeping the last good messages");
      return;
    }
    const messages = parseMessagesFile(read.text);
    if (messages.length === 0) {
      this.#log.warn({ file }, "messages file has no messages; keeping the last good messages");
      return;
    }
    this.#current = messages;
    this.#log.info({ file, count: messages.length }, "messages reloaded");
  }
}
