// A failed job keeps its failure as data (kind, case, facts), not as a sentence: the jobs list words it when it
// shows it (src/common/errorMessages.ts), in the language of that moment. Job files written before kept only a
// sentence (`message`); those still load, and their sentence is shown as it was.
import * as z from 'zod/mini';
import {
  FAILURE_KINDS,
  FAILURE_REASONS,
  IdeogramError,
  type FailureFacts,
  type FailureKind,
  type FailureReason,
} from './errors';
import { REQUEST_PROBLEMS, type RequestProblem } from './request';

const text = (max = 2000) => z.optional(z.string().check(z.maxLength(max)));
const count = z.optional(z.number());

/** The facts a message may need, each with its type: a job file is read back from disk and may be damaged or planted. */
const storedFactsSchema = z.object({
  status: count,
  apiMessage: text(),
  remainingCredits: count,
  resetAt: text(64),
  host: text(),
  protocol: text(64),
  contentType: text(200),
  cause: text(),
  redirected: z.optional(z.boolean()),
  bytes: count,
  declaredBytes: count,
  maxBytes: count,
  redirects: count,
  endpoint: text(4096),
  setting: text(200),
  value: text(),
  variable: text(200),
  allowed: z.optional(z.array(z.string().check(z.maxLength(200))).check(z.maxLength(50))),
  problems: z.optional(
    z
      .array(z.looseObject({ code: z.enum(REQUEST_PROBLEMS), path: z.string().check(z.maxLength(200)) }))
      .check(z.maxLength(50)),
  ),
  seconds: count,
  tries: count,
  downloadFailure: text(60),
  prompt: text(),
  spentToday: count,
  cost: count,
  limit: count,
  path: text(4096),
  through: text(4096),
  folderName: text(),
  fileName: text(),
  text: text(),
});

export const storedFailureSchema = z.object({
  kind: z.string().check(z.maxLength(60)),
  reason: z.optional(z.string().check(z.maxLength(60))),
  facts: z.optional(storedFactsSchema),
  mayHaveBeenBilled: z.optional(z.boolean()),
  /** Records written before failures were data: the sentence shown then. */
  message: z.optional(z.string().check(z.maxLength(2000))),
});
export type StoredFailure = z.infer<typeof storedFailureSchema>;

/** The failure as a job record keeps it. */
export function storedFailureOf(error: IdeogramError): StoredFailure {
  const { resetAt, ...facts } = error.facts;
  return {
    kind: error.kind,
    ...(error.reason ? { reason: error.reason } : {}),
    facts: { ...facts, ...(resetAt ? { resetAt: resetAt.toISOString() } : {}) } as StoredFailure['facts'],
    ...(error.mayHaveBeenBilled ? { mayHaveBeenBilled: true } : {}),
  };
}

/**
 * The failure again, to be worded; undefined for a record of the old form (a sentence only: show it) or of a
 * kind or case this version does not know.
 */
export function failureOfStored(stored: StoredFailure): IdeogramError | undefined {
  if (stored.facts === undefined && stored.message !== undefined) return undefined;
  if (!(FAILURE_KINDS as readonly string[]).includes(stored.kind)) return undefined;
  if (stored.reason !== undefined && !(FAILURE_REASONS as readonly string[]).includes(stored.reason)) return undefined;
  const { resetAt, problems, ...facts } = stored.facts ?? {};
  const when = resetAt === undefined ? undefined : new Date(resetAt);
  return new IdeogramError({
    ...(facts as FailureFacts),
    ...(problems ? { problems: problems as unknown as RequestProblem[] } : {}),
    ...(when && !Number.isNaN(when.getTime()) ? { resetAt: when } : {}),
    kind: stored.kind as FailureKind,
    reason: stored.reason as FailureReason | undefined,
    mayHaveBeenBilled: stored.mayHaveBeenBilled ?? false,
  });
}
