// The Copilot tool's confirmation text: the request as it will be sent, one line each, with nothing a prompt
// could use to forge a line or markup.
import { modelLabel } from '../core/models/options';
import { DEFAULT_MODEL } from '../core/models/registry';
import { type GenerationRequest, modelOfRequest, sizeOfRequest } from '../core/request';

/** Line breaks and runs of spaces as one space: a prompt's line breaks could otherwise forge a line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "Ideogram 3.0 · Quality · DESIGN · 1344 × 768 · magic prompt AUTO · seed 42": the request as sent, named by its model. */
export function describeOptions(request: GenerationRequest): string {
  const model = modelOfRequest(request) ?? DEFAULT_MODEL;
  const size = sizeOfRequest(request);
  const parts = [modelLabel(model, request)];
  // The look first (style, size, count, format), then how the prompt is treated, the seed and what to avoid.
  const tail: Partial<Record<'magic' | 'seed' | 'negative', string>> = {};
  for (const option of model.options) {
    const value = request[option.name];
    if (value === undefined || option.concept === 'speed' || option.concept === 'palette') continue;
    if (option.concept === 'size') parts.push(size?.exact ? `${size.width} × ${size.height}` : String(value));
    else if (option.concept === 'magic-prompt')
      tail.magic =
        typeof value === 'boolean' ? `prompt expansion ${value ? 'on' : 'off'}` : `magic prompt ${String(value)}`;
    else if (option.concept === 'seed') tail.seed = `seed ${String(value)}`;
    else if (option.concept === 'negative-prompt') tail.negative = `not: ${escapeMarkdown(oneLine(String(value)))}`;
    else if (option.concept === 'image-count') parts.push(`${String(value)} images`);
    else parts.push(String(value));
  }
  return [...parts, tail.magic, tail.seed, tail.negative]
    .filter((part): part is string => part !== undefined)
    .join(' · ');
}

/** Markdown's special characters escaped: the text shows as written, never as markup or a link. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
