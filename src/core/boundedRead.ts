// Reading a file a repository may have planted (an image, its recipe sidecar, a document that links to images)
// without trusting it: only a regular file is read, after following links (a committed `logo.png -> /dev/zero`
// is a character device of size 0, a FIFO blocks the open), nothing bigger than the caller's cap is opened,
// and at most that many bytes are read even when the file grows meanwhile. Plain Node `fs`, no `vscode`:
// `workspace.fs.readFile` has no partial read and reads a device until memory runs out.
import { constants, promises as fs } from 'node:fs';

export type BoundedRead =
  | { kind: 'read'; bytes: Uint8Array }
  /** A directory, a device, a FIFO or a socket (after following links). */
  | { kind: 'not-a-file' }
  | { kind: 'too-big'; size: number };

/**
 * The bytes of a regular file of at most `maxBytes`. Throws what `fs` throws when the file is missing or
 * unreadable. The type is checked before opening (opening a FIFO would wait for a writer) and again on the
 * opened file (a link swapped in between); the open does not block (O_NONBLOCK, where the platform has it).
 */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  /**
   * `followLinks: false`: a link is not a regular file (`lstat`), and one swapped in before the open fails it with
   * ELOOP (O_NOFOLLOW, where the platform has it): for a picture that must not leave the workspace through a link.
   */
  { followLinks = true }: { followLinks?: boolean } = {},
): Promise<BoundedRead> {
  const before = followLinks ? await fs.stat(path) : await fs.lstat(path);
  if (!before.isFile()) return { kind: 'not-a-file' };
  if (before.size > maxBytes) return { kind: 'too-big', size: before.size };
  const noFollow = followLinks ? 0 : (constants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'not-a-file' };
    if (stat.size > maxBytes) return { kind: 'too-big', size: stat.size };
    // The size the opened file had: a file that grows meanwhile gives what it held then, never more.
    const buffer = new Uint8Array(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { kind: 'read', bytes: buffer.subarray(0, filled) };
  } finally {
    await handle.close();
  }
}
