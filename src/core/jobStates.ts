// The states of a generation job, alone so that the webview's protocol (src/common/protocol.ts) can name them
// without the job store's file system.
export const JOB_STATES = [
  'submitting',
  'queued',
  'processing',
  'downloading',
  'saved',
  'failed',
  'expired',
  'lost',
  'discarded',
] as const;
export type JobState = (typeof JOB_STATES)[number];
/** States after which nothing more happens to a job. */
export const FINAL_JOB_STATES: readonly JobState[] = ['saved', 'failed', 'expired', 'lost', 'discarded'];
export function isFinalJobState(state: JobState): boolean {
  return FINAL_JOB_STATES.includes(state);
}
