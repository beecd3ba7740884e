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
