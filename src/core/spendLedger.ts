// Today's spend, shared by every window on this machine, with the daily limit checked and the cost reserved in
// one step. Two generations started at once (a double click, the palette and the sidebar, two windows, the agent
// calling the tool in parallel) each used to read the spend, then reserve after an `await`: all of them passed.
//
//   <root>/<slot>.json          one reservation (a batch's entries), never changed; slots are numbered 1, 2, 3…
//   <root>/outcome-<id>.json    what a job really cost (Segmind's report, or 0: not charged), replaced atomically
//
// A reservation is decided on every slot up to n and written as slot n + 1 by a hard link, which fails when the
// slot exists: of two windows that decided on the same slots, one gets n + 1 and the other decides again, on
// slots up to n + 1. Nothing is ever rewritten in place, so a reader never sees half an entry. Plain Node `fs`.
//
// One window's reservations are made one after the other: started together (ten generations at once), each would
// read the ledger, all would try the same slot, and all but one would read again: 55 reads of every file for ten,
// which held the tenth submit back by more than a second on a two-day ledger of ~140 generations (bench figure 7).
// A slot never changes, so a read parses only the slots it has not seen (outcomes are read every time).
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { spentToday, type SpendEntry } from './budget';

/** Reservations and outcomes older than this are removed (nothing before yesterday can matter to "today"). */
const KEEP_MS = 2 * 24 * 60 * 60 * 1000;
/** Tries before a reservation gives up (each lost try means another window reserved meanwhile). */
const MAX_TRIES = 1000;
const SLOT_PATTERN = /^(\d{1,15})\.json$/;
const OUTCOME_PATTERN = /^outcome-([\w-]{1,100})\.json$/;

export type ReservationResult =
  | { kind: 'reserved'; spentBefore: number }
  /** `allow` said no on today's spend (reserved and settled, every window). */
  | { kind: 'refused'; spentBefore: number };

export interface SpendLedgerStore {
  /** Every entry of the last two days, outcomes applied. */
  entries(): Promise<SpendEntry[]>;
  /** Adds `entries` if `allow(spent today)` says so, in one step no other reservation can come between. */
  reserve(entries: readonly SpendEntry[], allow: (spentToday: number) => boolean): Promise<ReservationResult>;
  /** What a job really cost (0: it was not charged). */
  settle(id: string, cost: number): Promise<void>;
}

interface Reading {
  entries: SpendEntry[];
  lastSlot: number;
  slots: Array<{ slot: number; time: number }>;
  outcomes: Array<{ name: string; time: number }>;
  /** Drafts a crash left behind (a reservation's or an outcome's, before it took its name). */
  drafts: string[];
}

function isEntry(value: unknown): value is SpendEntry {
  const entry = value as Partial<SpendEntry> | null;
  return (
    !!entry &&
    typeof entry.id === 'string' &&
    Number.isFinite(entry.time) &&
    Number.isFinite(entry.cost) &&
    (entry.cost as number) >= 0
  );
}

/** A slot file as read once: slots are never changed, so its entries and time stay valid while its name is there. */
interface ReadSlot {
  entries: SpendEntry[];
  time: number;
}

export class FileSpendLedger implements SpendLedgerStore {
  readonly #root: string;
  readonly #now: () => number;
  /** Parsed slot files by name (dropped when the name is gone: pruned). */
  readonly #slots = new Map<string, ReadSlot>();
  /** This window's reservation in progress: the next one starts when it has ended (see the header). */
  #reserving: Promise<unknown> = Promise.resolve();
  /** The read under way for `entries()`, if any. */
  #entries: Promise<SpendEntry[]> | undefined;
  constructor(root: string, now: () => number = Date.now) {
    this.#root = root;
    this.#now = now;
  }

  /** Callers asking while a read is under way share it (ten generations started together check the budget once). */
  entries(): Promise<SpendEntry[]> {
    this.#entries ??= this.#read()
      .then((reading) => reading.entries)
      .finally(() => (this.#entries = undefined));
    return this.#entries;
  }

  reserve(entries: readonly SpendEntry[], allow: (spentToday: number) => boolean): Promise<ReservationResult> {
    const reservation = this.#reserving.then(() => this.#reserve(entries, allow));
    this.#reserving = reservation.catch(() => undefined);
    return reservation;
  }

  async #reserve(entries: readonly SpendEntry[], allow: (spentToday: number) => boolean): Promise<ReservationResult> {
    await fs.mkdir(this.#root, { recursive: true });
    const draft = path.join(this.#root, `draft-${globalThis.crypto.randomUUID()}.tmp`);
    await fs.writeFile(draft, JSON.stringify(entries));
    try {
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const reading = await this.#read();
        const spent = spentToday(reading.entries, this.#now());
        if (!allow(spent)) return { kind: 'refused', spentBefore: spent };
        const slot = path.join(this.#root, `${reading.lastSlot + 1}.json`);
        try {
          await fs.link(draft, slot).catch((error: NodeJS.ErrnoException) => {
            // A file system without hard links: an exclusive copy (a reader may meet it half written, and skip it).
            if (error.code === 'EEXIST') throw error;
            return fs.copyFile(draft, slot, constants.COPYFILE_EXCL);
          });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // another reservation came first: decide again
          throw error;
        }
        await this.#prune(reading);
        return { kind: 'reserved', spentBefore: spent };
      }
      throw new Error(`could not reserve after ${MAX_TRIES} tries`);
    } finally {
      await fs.rm(draft, { force: true });
    }
  }

  async settle(id: string, cost: number): Promise<void> {
    if (!/^[\w-]{1,100}$/.test(id)) return;
    await fs.mkdir(this.#root, { recursive: true });
    const draft = path.join(this.#root, `draft-${globalThis.crypto.randomUUID()}.tmp`);
    await fs.writeFile(draft, JSON.stringify({ cost }));
    await fs.rename(draft, path.join(this.#root, `outcome-${id}.json`));
  }

  async #read(): Promise<Reading> {
    let names: string[];
    try {
      names = await fs.readdir(this.#root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#slots.clear();
        return { entries: [], lastSlot: 0, slots: [], outcomes: [], drafts: [] };
      }
      throw error;
    }
    const reading: Reading = {
      entries: [],
      lastSlot: 0,
      slots: [],
      outcomes: [],
      drafts: names.filter((name) => name.startsWith('draft-')),
    };
    const outcomes = new Map<string, number>();
    const present = new Set(names);
    for (const name of this.#slots.keys()) if (!present.has(name)) this.#slots.delete(name);
    await Promise.all(
      names.map(async (name) => {
        const slot = SLOT_PATTERN.exec(name);
        const outcome = OUTCOME_PATTERN.exec(name);
        if (!slot && !outcome) return;
        const known = slot ? this.#slots.get(name) : undefined;
        if (slot && known) {
          const number = Number(slot[1]);
          reading.lastSlot = Math.max(reading.lastSlot, number);
          reading.slots.push({ slot: number, time: known.time });
          reading.entries.push(...known.entries);
          return;
        }
        let parsed: unknown;
        let time: number;
        try {
          const file = path.join(this.#root, name);
          const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
          parsed = JSON.parse(text);
          time = stat.mtimeMs;
        } catch {
          // Removed meanwhile (pruned), or damaged: a damaged slot still holds its number.
          if (slot) reading.lastSlot = Math.max(reading.lastSlot, Number(slot[1]));
          return;
        }
        if (slot) {
          const number = Number(slot[1]);
          reading.lastSlot = Math.max(reading.lastSlot, number);
          reading.slots.push({ slot: number, time });
          if (Array.isArray(parsed)) {
            const entries = parsed.filter(isEntry).map(({ id, time: at, cost }) => ({ id, time: at, cost }));
            // Kept only when whole (a copy without hard links may be read half written: read it again next time).
            this.#slots.set(name, { entries, time });
            reading.entries.push(...entries);
          }
        } else if (outcome) {
          reading.outcomes.push({ name, time });
          const cost = (parsed as { cost?: unknown } | null)?.cost;
          if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) outcomes.set(outcome[1], cost);
        }
      }),
    );
    reading.entries = reading.entries.map((entry) =>
      outcomes.has(entry.id) ? { ...entry, cost: outcomes.get(entry.id) as number } : entry,
    );
    return reading;
  }

  /** Old reservations and outcomes go; the last slot always stays, so slot numbers never go back. */
  async #prune(reading: Reading): Promise<void> {
    const before = this.#now() - KEEP_MS;
    const old = [
      ...reading.slots
        .filter(({ slot, time }) => slot < reading.lastSlot && time < before)
        .map(({ slot }) => `${slot}.json`),
      ...reading.outcomes.filter(({ time }) => time < before).map(({ name }) => name),
    ];
    // A draft older than an hour belongs to no reservation in progress any more.
    const abandoned = await Promise.all(
      reading.drafts.map(async (name) => {
        const stat = await fs.stat(path.join(this.#root, name)).catch(() => undefined);
        return stat && stat.mtimeMs < this.#now() - 60 * 60_000 ? [name] : [];
      }),
    );
    await Promise.all([...old, ...abandoned.flat()].map((name) => fs.rm(path.join(this.#root, name), { force: true })));
  }
}

/** The same rules in memory, for a window whose storage is not on a local disk (one window only). */
export class MemorySpendLedger implements SpendLedgerStore {
  #entries: SpendEntry[] = [];
  readonly #now: () => number;
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  entries(): Promise<SpendEntry[]> {
    return Promise.resolve(this.#entries.filter((entry) => entry.time >= this.#now() - KEEP_MS));
  }

  reserve(entries: readonly SpendEntry[], allow: (spentToday: number) => boolean): Promise<ReservationResult> {
    // Synchronous from the read to the write: nothing can come between.
    const spent = spentToday(this.#entries, this.#now());
    if (!allow(spent)) return Promise.resolve({ kind: 'refused', spentBefore: spent });
    this.#entries.push(...entries);
    return Promise.resolve({ kind: 'reserved', spentBefore: spent });
  }

  settle(id: string, cost: number): Promise<void> {
    this.#entries = this.#entries.map((entry) => (entry.id === id ? { ...entry, cost } : entry));
    return Promise.resolve();
  }
}
