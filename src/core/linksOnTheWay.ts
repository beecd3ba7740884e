// The symbolic links between a workspace folder and a path inside it, walked from the folder down, one walk for two
// rules: a picture to upload refuses any link on the way (a link could lead anywhere: ~/.ssh, another project), an
// assets folder only a link that leads out of the workspace folder (git recreates links on clone; one that stays
// inside is fine). Plain Node `fs`, for `file:` folders: `workspace.fs` has no realpath.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Whether the walk refuses the symbolic link at `link` (an absolute path). */
export type LinkRule = (link: string) => Promise<boolean>;

/** Every link is refused. */
export const anyLink: LinkRule = () => Promise.resolve(true);

/** A link is refused when it leads outside `realRoot` (a `realpath`), or to nothing (mkdir would create its target). */
export const linkLeadingOutOf =
  (realRoot: string): LinkRule =>
  (link) =>
    leadsOut(link, realRoot);

/**
 * The first symbolic link on the way from `root` (not itself checked) down to `target`, `target` included, that
 * `refuses`; undefined when there is none. The walk stops at the first part that does not exist (or cannot be read,
 * or is a file in the way): there is no link to follow there, and whoever reads or creates the path next reports
 * the real problem.
 */
export async function firstRefusedLink(root: string, target: string, refuses: LinkRule): Promise<string | undefined> {
  let current = root;
  for (const segment of path.relative(root, target).split(path.sep).filter(Boolean)) {
    current = path.join(current, segment);
    const stat = await fs.lstat(current).catch(() => undefined);
    if (!stat) return undefined;
    if (stat.isSymbolicLink() && (await refuses(current))) return current;
  }
  return undefined;
}

/** Whether `target`'s real path is outside `realRoot` (a `realpath`); a link to nothing leads out too. */
export async function leadsOut(target: string, realRoot: string): Promise<boolean> {
  try {
    return !isInside(await fs.realpath(target), realRoot);
  } catch {
    return true; // a link to nothing: mkdir would create its target, wherever that is
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
