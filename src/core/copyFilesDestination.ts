// VS Code's own `markdown.copyFiles.destination` (where pasted and dropped files go in Markdown), resolved the
// way the built-in Markdown extension documents it, so generated images land where the user's pasted ones do:
// a map of glob → destination; the first glob matching the document's path wins; the destination's variables
// are filled in; a destination starting with `/` is relative to the workspace folder, otherwise to the
// document's folder; one ending with `/` gets the file name appended.
import { relativePath } from './linkText';

export interface DestinationDocument {
  /** The document's absolute path (a URI path, `/`-separated). For a notebook cell: the notebook's. */
  path: string;
  /** The absolute path of the document's workspace folder, when it is in one. */
  workspaceFolder?: string;
}

/**
 * A glob to a regular expression, as VS Code's Markdown extension matches them (`dot: true`); undefined for a
 * malformed glob (an unclosed `[` or `{`), which matches nothing.
 */
export function globToRegExp(glob: string): RegExp | undefined {
  let pattern = '';
  let inClass = false;
  let braceDepth = 0;
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index] ?? '';
    if (inClass) {
      if (character === ']') {
        inClass = false;
        pattern += ']';
      } else pattern += character === '\\' ? '\\\\' : character;
      continue;
    }
    switch (character) {
      case '*':
        if (glob[index + 1] === '*') {
          index++;
          if (glob[index + 1] === '/') {
            index++;
            pattern += '(?:[^/]*/)*';
          } else pattern += '.*';
        } else pattern += '[^/]*';
        break;
      case '?':
        pattern += '[^/]';
        break;
      case '[':
        inClass = true;
        pattern += glob[index + 1] === '!' ? (index++, '[^') : '[';
        break;
      case '{':
        braceDepth++;
        pattern += '(?:';
        break;
      case '}':
        if (braceDepth > 0) {
          braceDepth--;
          pattern += ')';
        } else pattern += '\\}';
        break;
      case ',':
        pattern += braceDepth > 0 ? '|' : ',';
        break;
      default:
        pattern += character.replace(/[.+^$()|\\]/g, '\\$&');
    }
  }
  if (inClass || braceDepth > 0) return undefined;
  try {
    return new RegExp(`^${pattern}$`);
  } catch {
    return undefined; // e.g. a class range out of order, `[z-a]`
  }
}

/** The patterns a configured glob stands for: `/…` is anchored in each workspace folder, others match anywhere. */
function expandGlob(glob: string, workspaceFolders: readonly string[]): string[] {
  if (glob.startsWith('/')) return workspaceFolders.map((folder) => `${folder.replace(/\/+$/, '')}${glob}`);
  return glob.startsWith('**') ? [glob] : [`**/${glob}`];
}

/** The destination configured for the document, or undefined when no glob matches (or nothing is configured). */
export function matchDestination(
  destinations: Readonly<Record<string, unknown>>,
  document: DestinationDocument,
  workspaceFolders: readonly string[],
): string | undefined {
  for (const [glob, destination] of Object.entries(destinations)) {
    if (typeof destination !== 'string') continue;
    if (expandGlob(glob, workspaceFolders).some((pattern) => globToRegExp(pattern)?.test(document.path) === true))
      return destination;
  }
  return undefined;
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `/a/b/../c/./d` → `/a/c/d`. */
function normalize(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/**
 * The absolute path a file named `fileName` goes to under `destination` for `document`. Variables:
 * `${documentDirName}`, `${documentRelativeDirName}`, `${documentFileName}`, `${documentBaseName}`,
 * `${documentExtName}`, `${documentFilePath}`, `${documentRelativeFilePath}`, `${documentWorkspaceFolder}`,
 * `${fileName}`, `${fileExtName}`; each also as `${name/regex/replacement/}`. Unknown ones become empty.
 */
export function resolveDestination(destination: string, document: DestinationDocument, fileName: string): string {
  let written = destination.trim() || '${fileName}';
  if (written.startsWith('/')) written = `\${documentWorkspaceFolder}/${written.slice(1)}`;
  if (written.endsWith('/')) written += '${fileName}';

  const documentFileName = basename(document.path);
  const dot = documentFileName.lastIndexOf('.');
  const documentExtName = dot > 0 ? documentFileName.slice(dot + 1) : '';
  const documentDirName = dirname(document.path);
  const workspaceFolder = document.workspaceFolder?.replace(/\/+$/, '') || undefined;
  const fileDot = fileName.lastIndexOf('.');
  const variables: Record<string, string> = {
    documentDirName,
    documentRelativeDirName: workspaceFolder ? relativeOrSame(workspaceFolder, documentDirName) : documentDirName,
    documentFileName,
    documentBaseName: dot > 0 ? documentFileName.slice(0, dot) : documentFileName,
    documentExtName,
    documentFilePath: document.path,
    documentRelativeFilePath: workspaceFolder ? relativePath(workspaceFolder, document.path) : document.path,
    documentWorkspaceFolder: workspaceFolder ?? documentDirName,
    fileName,
    fileExtName: fileDot > 0 ? fileName.slice(fileDot + 1) : '',
  };
  const resolved = written.replace(
    /\$\{(\w+)(?:\/([^}]+?)\/([^}]*?)\/)?\}/g,
    (_, name: string, pattern?: string, replacement?: string) => {
      const value = Object.prototype.hasOwnProperty.call(variables, name) ? (variables[name] ?? '') : '';
      if (!value || pattern === undefined) return value;
      try {
        return value.replace(new RegExp(pattern), replacement ?? '');
      } catch {
        return value;
      }
    },
  );
  return normalize(resolved.startsWith('/') ? resolved : `${documentDirName}/${resolved}`);
}

function relativeOrSame(from: string, to: string): string {
  if (to === from) return '';
  return relativePath(from, `${to}/x`).replace(/\/?x$/, '');
}

/** Whether `path` is `folder` or inside it (both absolute, normalised). */
export function isInside(folder: string, path: string): boolean {
  const base = folder.replace(/\/+$/, '');
  return path === base || path.startsWith(`${base}/`);
}
