// What a job read back from disk may do when it is resumed. A job file can be planted (a synced or copied
// global storage folder) or simply outdated: it must not send the key to an address the user no longer chose,
// nor save the image or edit a document outside the workspace folder it names.
import { validateEndpoint } from './client';
import type { JobRecord } from './jobStore';

export type ResumedEndpoint =
  | { kind: 'current' }
  /** A valid endpoint on another origin than the setting's now: ask before the key goes there. */
  | { kind: 'other-origin'; origin: string }
  /** Not an endpoint the key may go to at all (plain http to another host, credentials, not a URL). */
  | { kind: 'invalid' };

export function resumedEndpoint(record: Pick<JobRecord, 'endpoint'>, currentEndpoint: string): ResumedEndpoint {
  const stored = validateEndpoint(record.endpoint);
  if (!stored.ok) return { kind: 'invalid' };
  const current = validateEndpoint(currentEndpoint);
  return current.ok && current.url.origin === stored.url.origin
    ? { kind: 'current' }
    : { kind: 'other-origin', origin: stored.url.origin };
}

/**
 * Whether `uri` (a URI string) is `folder` or lies below it, without any `.`/`..` segment (encoded or not)
 * that could lead out again.
 */
export function isInsideFolder(uri: string, folder: string): boolean {
  const segments = uri.split(/[?#]/)[0].split('/');
  const decoded = segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return '..';
    }
  });
  if (decoded.some((segment) => segment === '.' || segment === '..' || segment.includes('\\'))) return false;
  const base = folder.endsWith('/') ? folder : `${folder}/`;
  return uri === folder || uri.startsWith(base);
}

/** What to do with an unfinished job found at start (or on "Check Again"), decided from its record alone. */
export type ResumePlan =
  /** Kept after a failed download: its next try is at its time (a reload does not make it sooner). */
  | { kind: 'wait'; until: number }
  /** Cut off while being sent (no request id came back, or the blocking route): nothing to ask Segmind about. */
  | { kind: 'lost' }
  /** Sent to a valid endpoint on another origin than the setting's now: the user decides whether the key goes there. */
  | { kind: 'elsewhere'; origin: string }
  /** Sent to an address the key may not go to at all: kept, never resumed. */
  | { kind: 'refused' }
  /**
   * Resumed; a folder outside its workspace folder is replaced by the rescue folder, and a document outside it
   * gets no link.
   */
  | { kind: 'resume'; folderOutside: boolean; insertionOutside: boolean };

export function planResume(
  record: JobRecord,
  { now, currentEndpoint, checkNow }: { now: number; currentEndpoint: string; checkNow: boolean },
): ResumePlan {
  if (record.state === 'downloading' && record.retryAt !== undefined && record.retryAt > now && !checkNow)
    return { kind: 'wait', until: record.retryAt };
  if (!record.requestId || record.route === 'v1') return { kind: 'lost' };
  const endpoint = resumedEndpoint(record, currentEndpoint);
  if (endpoint.kind === 'other-origin') return { kind: 'elsewhere', origin: endpoint.origin };
  if (endpoint.kind === 'invalid') return { kind: 'refused' };
  const document = record.insertion?.document;
  return {
    kind: 'resume',
    folderOutside: !isInsideFolder(record.folder, record.workspaceFolder),
    insertionOutside:
      document !== undefined && !document.startsWith('untitled:') && !isInsideFolder(document, record.workspaceFolder),
  };
}
