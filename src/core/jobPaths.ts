// Where jobs are kept, without anything else: the bootstrap (src/bootstrap.ts) reads this at every start and
// must not pull in the rest of the core.

/** Under the extension's global storage. */
export const JOBS_FOLDER = 'jobs';
/** Unfinished jobs (one `<id>.json` each): a start with any of them loads the extension to resume them. */
export const ACTIVE_JOBS_FOLDER = 'active';
export const DONE_JOBS_FOLDER = 'done';
export const JOB_CLAIMS_FOLDER = 'claims';
