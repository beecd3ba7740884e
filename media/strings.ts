// The sidebar's words in the user's language: translated by the host (src/sidebar/sidebarStrings.ts) and put
// into the page as JSON, so they are here before the first element is built. The webview words nothing itself.
import { fillTemplate } from '../src/common/protocol';
import type { SidebarStrings } from '../src/sidebar/sidebarStrings';

export const words = JSON.parse(document.getElementById('strings')?.textContent ?? 'null') as SidebarStrings;

/** Fills a template's `{0}`, `{1}`… */
export const fill = fillTemplate;

/** A template filled with elements (a number in <strong>): the text around them stays text. */
export function fillNodes(template: string, ...values: Array<Node | string>): Array<Node | string> {
  return template
    .split(/(\{\d+\})/)
    .map((part) => {
      const match = /^\{(\d+)\}$/.exec(part);
      return match ? (values[Number(match[1])] ?? part) : part;
    })
    .filter((part) => part !== '');
}
