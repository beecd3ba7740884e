// How long each model's past jobs took on this machine: what the poll schedule learns its expected time from
// (`expectedJobMs` in asyncJob.ts). Pure; the host keeps the numbers in VS Code's global state.
import { LEARNT_DURATIONS } from './asyncJob';

/** Where the durations outlive the window (the global state): read, and written through. */
export interface DurationStore {
  read(): unknown;
  write(value: Record<string, number[]>): void;
}

function parse(stored: unknown): Record<string, number[]> {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const durations: Record<string, number[]> = {};
  for (const [model, list] of Object.entries(stored)) {
    if (Array.isArray(list)) durations[model] = list.filter((value): value is number => typeof value === 'number');
  }
  return durations;
}

/**
 * The durations as this window knows them: read from the store once, then kept in memory and written through.
 * VS Code's global state can hand back an older value for a moment (its own write echoed late by the main thread),
 * and re-reading it lost durations when several jobs finished together (8 of 11 kept in bench figure 7). Read again
 * only when the store was emptied (a reset).
 */
export class JobDurations {
  readonly #store: DurationStore;
  #memory: Record<string, number[]> | undefined;

  constructor(store: DurationStore) {
    this.#store = store;
  }

  of(model: string): number[] {
    return [...(this.#current()[model] ?? [])];
  }

  remember(model: string, ms: number): void {
    const current = this.#current();
    this.#memory = {
      ...current,
      [model]: [...(current[model] ?? []), Math.max(0, Math.round(ms))].slice(-LEARNT_DURATIONS),
    };
    this.#store.write(this.#memory);
  }

  #current(): Record<string, number[]> {
    const stored = this.#store.read();
    if (this.#memory === undefined || stored === undefined) this.#memory = parse(stored);
    return this.#memory;
  }
}
