// The durable record of every generation: one JSON file per job, written before the first byte goes to Segmind
// and kept until the image is saved, so that a reload, a crashed extension host or a closed window loses no
// paid image. Plain Node `fs` on the extension host's own disk (the extension's global storage), no `vscode`.
//
//   <root>/active/<id>.json   jobs not finished yet (what a new window resumes; the bootstrap only lists it)
//   <root>/done/<id>.json     finished jobs, for the jobs list; pruned by age and count
//   <root>/claims/<id>.<n>    who works on an active job: the highest n wins; see `claim`
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { REQUEST_ID_PATTERN } from './asyncJob';
import { ACTIVE_JOBS_FOLDER, DONE_JOBS_FOLDER, JOB_CLAIMS_FOLDER } from './jobPaths';
import { generationRequestSchema, type GenerationRequest } from './request';
import { storedFailureSchema, type StoredFailure } from './storedFailure';
import { isFinalJobState, JOB_STATES, type JobState } from './jobStates';
import { sourceLineageSchema, type SourceLineage } from './sourceLineage';

/** Where a link to the image was asked for: enough to find the place again after a reload. */
export interface JobInsertion {
  /** The document's URI. */
  document: string;
  /** Offset at the time of the request (a hint; the text around it decides). */
  offset: number;
  /** Up to 80 characters before and after the insertion point when it was asked for. */
  before: string;
  after: string;
  /** Text to put before the link (a blank line after a selected paragraph). */
  prefix: string;
}

export interface JobRecord {
  /** The extension's own id for the job (a UUID). */
  id: string;
  /** Segmind's request id, once the submit answered. */
  requestId?: string;
  /** `v2`: resumable by its request id; `v1`: the blocking route (a fallback), not resumable. */
  route: 'v2' | 'v1';
  /** The endpoint setting at submit time (its V2 routes are derived from it again on resume). */
  endpoint: string;
  request: GenerationRequest;
  /** Where the command was run: 'palette', 'markdown', 'sidebar', 'command'. */
  origin: string;
  /** The workspace folder and the assets folder the image goes to (URIs). */
  workspaceFolder: string;
  folder: string;
  /** How the file is named (the user's template, resolved for the document), when not the built-in pattern. */
  naming?: {
    template: string;
    documentBaseName?: string;
    sourceName?: string;
    action?: string;
    destinationName?: string;
  };
  insertion?: JobInsertion;
  /** The workspace image an image action worked on (remix, reframe, …): its saved image's recipe names it. */
  source?: SourceLineage;
  state: JobState;
  /** Epoch milliseconds. */
  createdAt: number;
  submittedAt?: number;
  finishedAt?: number;
  /** The saved image's URI. */
  savedUri?: string;
  /** For a failed, expired or lost job: what went wrong, as data (worded when shown; see storedFailure.ts). */
  failure?: StoredFailure;
  /** The user stopped waiting: the image is kept in the gallery when it arrives, not inserted. */
  detached?: boolean;
  cost?: number;
  /** Downloads of the billed image that failed so far (see `nextDownloadTry`). */
  downloadTries?: number;
  /** Epoch milliseconds of the next download try of a job kept after a failed download. */
  retryAt?: number;
}

const insertionSchema = z.object({
  document: z.string().check(z.maxLength(4096)),
  offset: z.number().check(z.int(), z.minimum(0)),
  before: z.string().check(z.maxLength(400)),
  after: z.string().check(z.maxLength(400)),
  prefix: z.string().check(z.maxLength(10)),
});

const jobSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/)),
  requestId: z.optional(z.string().check(z.regex(REQUEST_ID_PATTERN))),
  route: z.enum(['v2', 'v1']),
  endpoint: z.string().check(z.maxLength(4096)),
  request: generationRequestSchema,
  origin: z.string().check(z.maxLength(40)),
  workspaceFolder: z.string().check(z.maxLength(4096)),
  folder: z.string().check(z.maxLength(4096)),
  naming: z.optional(
    z.object({
      template: z.string().check(z.maxLength(1000)),
      documentBaseName: z.optional(z.string().check(z.maxLength(1000))),
      sourceName: z.optional(z.string().check(z.maxLength(1000))),
      action: z.optional(z.string().check(z.maxLength(40))),
      destinationName: z.optional(z.string().check(z.maxLength(4096))),
    }),
  ),
  insertion: z.optional(insertionSchema),
  source: z.optional(sourceLineageSchema),
  state: z.enum(JOB_STATES),
  createdAt: z.number(),
  submittedAt: z.optional(z.number()),
  finishedAt: z.optional(z.number()),
  savedUri: z.optional(z.string().check(z.maxLength(4096))),
  failure: z.optional(storedFailureSchema),
  detached: z.optional(z.boolean()),
  cost: z.optional(z.number()),
  downloadTries: z.optional(z.number().check(z.int(), z.minimum(0))),
  retryAt: z.optional(z.number()),
});

/** Parses a stored record; a damaged one is undefined (and kept on disk by the caller for the log). */
export function parseJobRecord(raw: unknown): JobRecord | undefined {
  const parsed = jobSchema.safeParse(raw);
  return parsed.success ? (parsed.data as JobRecord) : undefined;
}

/** Damaged active job files are moved here (see `tidyActive`). */
export const DAMAGED_JOBS_FOLDER = 'damaged';
/** A file in the active folder untouched this long is not being written any more. */
const TIDY_AFTER_MS = 10 * 60_000;

/** How long a claim lives without a heartbeat before another window may take the job over. */
export const CLAIM_STALE_MS = 45_000;
/** Finished jobs are listed this long, and at most this many are kept. */
export const DONE_KEEP_MS = 24 * 60 * 60 * 1000;
export const DONE_KEEP_COUNT = 100;

interface ClaimContent {
  owner: string;
  pid: number;
}

/** Whether a process with this id runs on this machine (the claims live on the extension host's disk). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Names a file can be read under: job ids only, so a planted file name never escapes the folder. */
function isJobId(name: string): boolean {
  return /^[A-Za-z0-9-]{8,64}$/.test(name);
}

export class JobStore {
  readonly #active: string;
  readonly #done: string;
  readonly #claims: string;

  /**
   * @param root folder of the store (created when first written)
   * @param owner who this store works for: one id per extension host (window) run
   */
  readonly #now: () => number;
  constructor(
    readonly root: string,
    readonly owner: string,
    now: () => number = Date.now,
  ) {
    this.#now = now;
    this.#active = path.join(root, ACTIVE_JOBS_FOLDER);
    this.#done = path.join(root, DONE_JOBS_FOLDER);
    this.#claims = path.join(root, JOB_CLAIMS_FOLDER);
  }

  /** Writes a record atomically (temporary file, then rename): a crash leaves the old or the new record. */
  async write(record: JobRecord): Promise<void> {
    const final = isFinalJobState(record.state);
    const folder = final ? this.#done : this.#active;
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, `${record.id}.json`);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    await fs.writeFile(temporary, JSON.stringify(record), { flag: 'wx' });
    await fs.rename(temporary, file);
    if (final) {
      await fs.rm(path.join(this.#active, `${record.id}.json`), { force: true });
      await this.release(record.id);
    }
  }

  async read(id: string): Promise<JobRecord | undefined> {
    if (!isJobId(id)) return undefined;
    for (const folder of [this.#active, this.#done]) {
      const record = await this.#readFile(path.join(folder, `${id}.json`));
      if (record) return record;
    }
    return undefined;
  }

  async #readFile(file: string): Promise<JobRecord | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return parseJobRecord(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  /** Unfinished jobs, oldest first, and the names of files that did not parse (left in place, for the log). */
  async listActive(): Promise<{ jobs: JobRecord[]; damaged: string[] }> {
    return this.#list(this.#active);
  }

  /**
   * Moves active job files that cannot be read to `damaged/` (kept for the log and for the user, but no longer
   * listed, so they do not load the whole extension at every start), and removes temporary files a crash left in
   * the middle of a write. Both only once they are older than a write could take.
   */
  async tidyActive(damaged: readonly string[]): Promise<string[]> {
    const moved: string[] = [];
    const settled = this.#now() - TIDY_AFTER_MS;
    let names: string[] = [];
    try {
      names = await fs.readdir(this.#active);
    } catch {
      return moved;
    }
    for (const name of names) {
      const file = path.join(this.#active, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat || stat.mtimeMs > settled) continue;
      if (name.endsWith('.partial')) await fs.rm(file, { force: true });
      else if (damaged.includes(name)) {
        await fs.mkdir(path.join(this.root, DAMAGED_JOBS_FOLDER), { recursive: true });
        await fs.rename(file, path.join(this.root, DAMAGED_JOBS_FOLDER, name)).then(
          () => moved.push(name),
          () => undefined,
        );
      }
    }
    return moved;
  }

  /** Finished jobs, newest first, after pruning old ones. */
  async listDone(): Promise<JobRecord[]> {
    const { jobs } = await this.#list(this.#done);
    const cutoff = this.#now() - DONE_KEEP_MS;
    const sorted = jobs.sort((a, b) => (b.finishedAt ?? b.createdAt) - (a.finishedAt ?? a.createdAt));
    const kept = sorted.slice(0, DONE_KEEP_COUNT).filter((job) => (job.finishedAt ?? job.createdAt) >= cutoff);
    for (const job of sorted) {
      if (!kept.includes(job)) await fs.rm(path.join(this.#done, `${job.id}.json`), { force: true });
    }
    return kept;
  }

  async #list(folder: string): Promise<{ jobs: JobRecord[]; damaged: string[] }> {
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch {
      return { jobs: [], damaged: [] };
    }
    const jobs: JobRecord[] = [];
    const damaged: string[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const record = isJobId(name.slice(0, -5)) ? await this.#readFile(path.join(folder, name)) : undefined;
      if (record) jobs.push(record);
      else damaged.push(name);
    }
    jobs.sort((a, b) => a.createdAt - b.createdAt);
    return { jobs, damaged };
  }

  /**
   * Takes the job for this owner, so two windows never both download, save and announce it. Claims are
   * files `<id>.<n>`: creating `<id>.<n+1>` is atomic and exclusive, so of two windows that find claim n
   * stale (its process gone, or no heartbeat for CLAIM_STALE_MS) only one gets n+1. True when this owner
   * holds the job (already, or now).
   */
  async claim(id: string): Promise<boolean> {
    if (!isJobId(id)) return false;
    await fs.mkdir(this.#claims, { recursive: true });
    const current = await this.#currentClaim(id);
    if (current) {
      if (current.content?.owner === this.owner) return true;
      const fresh =
        current.content && processAlive(current.content.pid) && this.#now() - current.mtimeMs < CLAIM_STALE_MS;
      if (fresh) return false;
    }
    const next = (current?.n ?? 0) + 1;
    const content: ClaimContent = { owner: this.owner, pid: process.pid };
    try {
      await fs.writeFile(path.join(this.#claims, `${id}.${next}`), JSON.stringify(content), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    // Older claims are history now.
    for (let n = 1; n < next; n++) await fs.rm(path.join(this.#claims, `${id}.${n}`), { force: true });
    return true;
  }

  /**
   * Claims an unfinished job and returns its record as it is now, read after the claim. A job listed a moment ago
   * may since have been finished (moved to done/) or moved on by the window that held it, which then let it go:
   * resuming the listed copy would download and save the image a second time. Undefined, with no claim kept, when
   * another window holds the job or it is no longer unfinished.
   */
  async claimActive(id: string): Promise<JobRecord | undefined> {
    if (!(await this.claim(id))) return undefined;
    const current = await this.#readFile(path.join(this.#active, `${id}.json`));
    if (current && !isFinalJobState(current.state)) return current;
    await this.release(id);
    return undefined;
  }

  /** Whether this owner still holds the job (no other window took it over meanwhile). */
  async holds(id: string): Promise<boolean> {
    const current = await this.#currentClaim(id);
    return current?.content?.owner === this.owner;
  }

  /** Keeps this owner's claims fresh (call every few seconds while jobs run). */
  async heartbeat(ids: readonly string[]): Promise<void> {
    const time = new Date(this.#now());
    for (const id of ids) {
      const current = await this.#currentClaim(id);
      if (current?.content?.owner === this.owner) await fs.utimes(current.file, time, time).catch(() => undefined);
    }
  }

  async release(id: string): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.#claims);
    } catch {
      return;
    }
    for (const name of names)
      if (name.startsWith(`${id}.`)) await fs.rm(path.join(this.#claims, name), { force: true });
  }

  async #currentClaim(
    id: string,
  ): Promise<{ n: number; file: string; mtimeMs: number; content?: ClaimContent } | undefined> {
    let names: string[];
    try {
      names = await fs.readdir(this.#claims);
    } catch {
      return undefined;
    }
    const numbers = names
      .filter((name) => name.startsWith(`${id}.`))
      .map((name) => Number(name.slice(id.length + 1)))
      .filter(Number.isInteger);
    if (numbers.length === 0) return undefined;
    const n = Math.max(...numbers);
    const file = path.join(this.#claims, `${id}.${n}`);
    try {
      const [stat, text] = await Promise.all([fs.stat(file), fs.readFile(file, 'utf8')]);
      const parsed = JSON.parse(text) as Partial<ClaimContent>;
      const content =
        typeof parsed.owner === 'string' && typeof parsed.pid === 'number'
          ? { owner: parsed.owner, pid: parsed.pid }
          : undefined;
      return { n, file, mtimeMs: stat.mtimeMs, content };
    } catch {
      // Being written right now, or damaged: treat as held for now; it goes stale by its age.
      return { n, file, mtimeMs: this.#now() };
    }
  }
}
