// The sidebar's HTML: one pure function of plain strings, so the security-relevant parts (CSP, nonce) are
// in one place. No vscode import: the provider passes `webview.cspSource`, the asset URIs and the translated strings.
import type { SidebarStrings } from './sidebarStrings';

export interface HtmlParts {
  cspSource: string;
  /** Fresh per render, from crypto. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** BCP 47 language of the UI (vscode.env.language). */
  language: string;
  title: string;
  /** The sidebar's words, read by media/strings.ts before anything is built. */
  strings: SidebarStrings;
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
    `style-src ${cspSource}`,
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
 * The page: the script builds the UI into #app and sends `ready`; no inline script or style. The strings travel
 * as a JSON data block, which the browser never runs (and the CSP would not let it).
 */
export function renderHtml(parts: HtmlParts): string {
  const attribute = escapeHtml;
  return /* html */ `<!DOCTYPE html>
<html lang="${attribute(parts.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(parts.styleUri)}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script id="strings" type="application/json">${scriptJson(parts.strings)}</script>
<script nonce="${attribute(parts.nonce)}" src="${attribute(parts.scriptUri)}"></script>
</body>
</html>`;
}
