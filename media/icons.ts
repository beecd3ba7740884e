// A few codicon-like 16 px icons as SVG paths, drawn with currentColor so they follow the theme.
// Inlined instead of @vscode/codicons: a dozen glyphs cost less than the icon font, and nothing is fetched.

const PATHS = {
  sparkle:
    'M8 1.5l1.4 3.6 3.6 1.4-3.6 1.4L8 11.5 6.6 7.9 3 6.5l3.6-1.4zM12.5 10.5l.6 1.4 1.4.6-1.4.6-.6 1.4-.6-1.4-1.4-.6 1.4-.6z',
  close: 'M4 4l8 8M12 4l-8 8',
  check: 'M3 8.5l3.5 3.5L13 4.5',
  lock: 'M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 4 0v2',
  unlock: 'M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 3.9-.6',
  add: 'M8 3v10M3 8h10',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 9h5.8l.6-9M6.8 6.5v5M9.2 6.5v5',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  link: 'M7 9a2.5 2.5 0 0 0 3.5 0l2-2A2.5 2.5 0 0 0 9 3.5l-.7.7M9 7a2.5 2.5 0 0 0-3.5 0l-2 2A2.5 2.5 0 0 0 7 12.5l.7-.7',
  folder: 'M1.5 4V12.5h13V5.5H7.5L6 4z',
  open: 'M9 2.5h4.5V7M13.5 2.5L7.5 8.5M12 9.5v4H2.5V4h4',
  insert: 'M2.5 3.5h11M2.5 6.5h5M2.5 9.5h5M2.5 12.5h11M12 6v5M10 9l2 2 2-2',
  remix: 'M2.5 8a5.5 5.5 0 0 1 9.6-3.7M13.5 8a5.5 5.5 0 0 1-9.6 3.7M12.5 1.5v3h-3M3.5 14.5v-3h3',
  seed: 'M3 13c0-5 3.5-9.5 10-10-.5 6.5-5 10-10 10zM3 13l5-5',
  search: 'M6.5 2.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM9.5 9.5l4 4',
  error: 'M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zM8 4.5v4.5M8 11v.5',
  warning: 'M8 2L14.5 13.5h-13zM8 6.5v3.5M8 11.5v.5',
  coin: 'M8 2.5a5.5 5.5 0 1 1 0 11 5.5 5.5 0 0 1 0-11zM8 5v6M6.3 6.3h2.6a1 1 0 0 1 0 1.7H7.1a1 1 0 0 0 0 1.7h2.6',
  key: 'M10.5 2.5a3 3 0 1 1-2.6 4.5L2.5 12.4v1.1h2v-1.5h1.5v-1.5h1.5l.4-.4a3 3 0 0 1 2.6-7.6z',
  stop: 'M4.5 4.5h7v7h-7z',
} as const;

export type IconName = keyof typeof PATHS;

const SVG = 'http://www.w3.org/2000/svg';

export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name]);
  svg.appendChild(path);
  return svg;
}
