// The sidebar's HTML: one pure function of plain strings, so the security-relevant parts (CSP, nonce) are
// in one place. No vscode import: the provider passes `webview.cspSource`, the script and style sheet as text, the
// translated strings and the first snapshot.
import type { PageSnapshot } from '../common/protocol';
import type { SidebarStrings } from './sidebarStrings';

export interface HtmlParts {
  cspSource: string;
  /** Fresh per render, from crypto. */
  nonce: string;
  /**
   * The webview's script and style sheet, written into the page: fetched from the extension, each took a round trip
   * through the workbench's resource loader before the first paint (50 ms of a first opening in code-server).
   */
  script: string;
  style: string;
  /** BCP 47 language of the UI (vscode.env.language). */
  language: string;
  title: string;
  /** The sidebar's words, read by media/strings.ts before anything is built. */
  strings: SidebarStrings;
  /**
   * The view's state when the page was made: the script builds the form from it without asking. `page` names this
   * page: shown again from the same HTML, the script knows it used that snapshot already and waits for a fresh one.
   */
  snapshot?: PageSnapshot;
}

/** Escapes text for an HTML attribute value or element content. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The content security policy: nothing by default, local images/styles/fonts, only our nonce'd script, no network,
 * no form submission anywhere and no <base> to re-point relative URLs.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * JSON inside a <script> element: `<` escaped so no string can close the element (`</script>`) or open a
 * comment; JSON.parse reads `\u003c` back as `<`.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The page: the script builds the UI into #app and sends `ready`. The script and the style sheet are the only inline
 * code, each with the nonce; no handler or `style` attribute. The strings and the first snapshot travel as JSON data
 * blocks, which the browser never runs (and the CSP would not let it).
 */
export function renderHtml(parts: HtmlParts): string {
  const attribute = escapeHtml;
  return /* html */ `<!DOCTYPE html>
<html lang="${attribute(parts.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${attribute(parts.nonce)}">${rawText(parts.style, 'style')}</style>
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script id="strings" type="application/json">${scriptJson(parts.strings)}</script>
${parts.snapshot ? `<script id="snapshot" type="application/json">${scriptJson(parts.snapshot)}</script>` : ''}
<script nonce="${attribute(parts.nonce)}">${rawText(parts.script, 'script')}</script>
</body>
</html>`;
}

/**
 * The page shown when the sidebar's own page cannot be made (its script or style sheet missing from the extension):
 * the reason and what to do, as text, with nothing that runs.
 */
export function renderUnavailableHtml(parts: { language: string; title: string; message: string }): string {
  return /* html */ `<!DOCTYPE html>
<html lang="${escapeHtml(parts.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<p role="alert">${escapeHtml(parts.message)}</p>
</body>
</html>`;
}

/**
 * Code as the text of a <script> or <style> element, which ends at the first `</script` or `</style`: that sequence
 * becomes `<\/…`, the same in a JavaScript string, template or regular expression and in CSS. `<!--` in a script
 * would change how the rest is read (and has no such rewrite): the bundle must not contain it.
 */
function rawText(code: string, element: 'script' | 'style'): string {
  if (element === 'script' && code.includes('<!--'))
    throw new Error('The webview script contains "<!--" and cannot be written into the page');
  return code.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}
