import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Logger } from "./logger.ts";

/** What a read of the file gave: its text, or why there is none (`error.code` ENOENT: no file). */
export type FileRead = { text: string; error?: undefined } | { text?: undefined; error: NodeJS.ErrnoException };

export interface WatchedFileOptions {
  file: string;
  /** How often the file is read again besides file-system events. */
  pollMs: number;
  /** A larger file counts as unreadable (its error names the size). */
  maxBytes: number;
  log: Logger;
  /** Called with the first read, then whenever what a read gives changes (new text, or another error). */
  onChange(read: FileRead): void;
}

/**
 * A small file read again whenever it may have changed, such as a mounted ConfigMap: the services'
 * way of taking a setting without a restart (hello's messages, the kit's fault switch).
 *
 * Two triggers, because neither is enough alone. The directory is watched, not the file: Kubernetes
 * updates a ConfigMap volume by swapping a `..data` symlink, which replaces the file's inode and ends
 * a watch on the file itself. And the file is read every `pollMs` as well: fs.watch misses changes
 * on some file systems (network and overlay mounts) and cannot watch a directory that does not exist
 * yet. A read costs little (the file is small), and comparing what it gives catches every change,
 * where comparing mtime and inode would miss a rewrite within the clock's resolution.
 */
export class WatchedFile {
  readonly #options: WatchedFileOptions;
  #last: string | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #reading: Promise<void> = Promise.resolve();

  constructor(options: WatchedFileOptions) {
    this.#options = options;
  }

  /** Reads the file once (`onChange` has run when this resolves), then watches it. */
  async start(): Promise<void> {
    const { file, log, pollMs } = this.#options;
    await this.read();
    try {
      this.#watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(file) || name.startsWith("..")) this.#scheduleRead();
      });
      this.#watcher.on("error", (error) => log.warn({ err: error, file }, "file watch failed; polling only"));
    } catch (error) {
      log.warn({ err: error, file }, "cannot watch the file's directory; polling only");
    }
    this.#timer = setInterval(() => void this.read(), pollMs);
    this.#timer.unref();
  }

  stop(): void {
    this.#watcher?.close();
    clearInterval(this.#timer);
    clearTimeout(this.#debounce);
  }

  /**
   * Reads the file now; `onChange` runs only if the outcome differs from the last read's. Reads run
   * one after another: a poll's read of the old text cannot finish after an event's read of the new.
   */
  read(): Promise<void> {
    const { file, log } = this.#options;
    // A callback that throws is logged, and the next read still runs.
    this.#reading = this.#reading.then(() => this.#readNow()).catch((error) => log.error({ err: error, file }, "applying the file failed"));
    return this.#reading;
  }

  async #readNow(): Promise<void> {
    const { file, maxBytes, onChange } = this.#options;
    let read: FileRead;
    try {
      const bytes = await readFile(file);
      if (bytes.length > maxBytes) {
        read = { error: Object.assign(new Error(`file is ${bytes.length} bytes; the limit is ${maxBytes}`), { code: "EFBIG" }) };
      } else {
        read = { text: bytes.toString("utf8") };
      }
    } catch (error) {
      read = { error: error as NodeJS.ErrnoException };
    }
    const key = read.error ? `error:${read.error.code}:${read.error.message}` : `text:${read.text}`;
    if (key === this.#last) return;
    this.#last = key;
    onChange(read);
  }

  // An editor or kubelet makes several events per update: read once, after they settle.
  #scheduleRead(): void {
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.read(), 50);
    this.#debounce.unref();
  }
}
