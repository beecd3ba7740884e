import * as vscode from 'vscode';
import { isLocalImageTarget } from '../core/markdownImageLinks';

/**
 * The file a link target in a document loads, resolved the way the Markdown preview does: relative to the
 * document's folder, or to the workspace folder when it starts with `/`. Web addresses and data URLs give undefined.
 * The hover (src/recipes/imageHover.ts) and "Write Alt Text" (src/generation/altText/) resolve links with it.
 */
export function linkTargetUri(
  document: { readonly uri: vscode.Uri },
  target: string,
  /** 'decoded': the target as core/linkFormats.ts' readers give it (percent-decoded, without query and fragment). */
  form: 'as-written' | 'decoded' = 'as-written',
): vscode.Uri | undefined {
  if (!isLocalImageTarget(target)) return undefined;
  const withoutSuffix = form === 'decoded' ? target : target.replace(/[?#].*$/, '');
  let path = withoutSuffix;
  if (form === 'as-written') {
    try {
      path = decodeURIComponent(withoutSuffix);
    } catch {
      // A malformed escape is kept as written, as browsers do.
    }
  }
  if (form === 'decoded' && /^file:/i.test(path)) return vscode.Uri.parse(path, true);
  if (/^file:/i.test(path)) return vscode.Uri.parse(withoutSuffix, true);
  if (/^[a-z]:[\\/]/i.test(path)) return vscode.Uri.file(path);
  if (path.startsWith('/')) {
    const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri;
    return root ? vscode.Uri.joinPath(root, path) : document.uri.with({ path });
  }
  return vscode.Uri.joinPath(document.uri, '..', path);
}
