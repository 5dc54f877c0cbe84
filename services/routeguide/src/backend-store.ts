import { mkdirSync } from "node:fs";
import { type Database, open, type RootDatabase } from "lmdb";
import type { Feature, Point, RouteNote, StoredFeature } from "./messages.ts";

type Key = [number, number];
interface FeatureRecord {
  name: string;
  timesServed: number;
  lastServedUnixMs: number;
}
interface NoteRecord {
  message: string;
  savedUnixMs: number;
}

/**
 * The backend's LMDB environment: features keyed by location, route notes keyed by
 * (location, sequence). Every write is one transaction, and its promise resolves only after
 * LMDB has committed and synced it (overlappingSync off), so an acknowledged write survives
 * a crash of the process or of the machine.
 */
export class BackendStore {
  readonly #root: RootDatabase;
  readonly #features: Database<FeatureRecord, Key>;
  readonly #notes: Database<NoteRecord, [number, number, number]>;
  readonly #noteCounts: Database<number, Key>;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    // noSubdir: false, always: lmdb guesses "a file" for a path whose last part has a dot
    // (mktemp's /tmp/tmp.AbC123, /data/routeguide.v1) and then fails on the directory.
    this.#root = open({ path: dir, noSubdir: false, overlappingSync: false, compression: false });
    this.#features = this.#root.openDB<FeatureRecord, Key>({ name: "features" });
    this.#notes = this.#root.openDB<NoteRecord, [number, number, number]>({ name: "notes" });
    this.#noteCounts = this.#root.openDB<number, Key>({ name: "note-counts" });
  }

  /** Upserts the feature and counts how often it was served. */
  saveFeature(feature: Feature & { location: Point }, now = Date.now()): Promise<StoredFeature> {
    const key: Key = [feature.location.latitude, feature.location.longitude];
    return this.#root.transaction(() => {
      const previous = this.#features.get(key);
      const record: FeatureRecord = { name: feature.name, timesServed: (previous?.timesServed ?? 0) + 1, lastServedUnixMs: now };
      this.#features.putSync(key, record);
      return toStored(key, record);
    });
  }

  *listFeatures(limit = 0): Generator<StoredFeature> {
    const range = this.#features.getRange(limit > 0 ? { limit } : {});
    for (const { key, value } of range) yield toStored(key, value);
  }

  /** Appends the note to its location's history; returns its 0-based position there. */
  saveNote(note: RouteNote & { location: Point }, now = Date.now()): Promise<number> {
    const loc: Key = [note.location.latitude, note.location.longitude];
    return this.#root.transaction(() => {
      const sequence = this.#noteCounts.get(loc) ?? 0;
      this.#notes.putSync([loc[0], loc[1], sequence], { message: note.message, savedUnixMs: now });
      this.#noteCounts.putSync(loc, sequence + 1);
      return sequence;
    });
  }

  /** The most recent `limit` notes at this location, oldest first. */
  listNotes(location: Point, limit: number): RouteNote[] {
    const count = this.#noteCounts.get([location.latitude, location.longitude]) ?? 0;
    const first = Math.max(0, count - limit);
    const notes: RouteNote[] = [];
    for (const { value } of this.#notes.getRange({
      start: [location.latitude, location.longitude, first],
      end: [location.latitude, location.longitude, count],
    })) {
      notes.push({ location: { latitude: location.latitude, longitude: location.longitude }, message: value.message });
    }
    return notes;
  }

  /** Proves the environment is usable (a read transaction). */
  check(): void {
    this.#root.getStats();
  }

  async close(): Promise<void> {
    await this.#root.close();
  }
}

function toStored(key: Key, record: FeatureRecord): StoredFeature {
  return {
    feature: { name: record.name, location: { latitude: key[0], longitude: key[1] } },
    times_served: record.timesServed,
    last_served_unix_ms: record.lastServedUnixMs,
  };
}
