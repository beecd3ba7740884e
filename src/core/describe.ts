// What Ideogram Describe answers, read tolerantly: its response shape on Segmind is not documented
// (docs/segmind-models.md §15). Upstream answers `{"descriptions": [{"text": "…"}]}`; Segmind's V2 result may carry
// that JSON as a string in `output` (the convention of its text models), or the text itself.

/** Every description found, in order, trimmed and non-empty; empty when the answer holds none. */
export function describeTexts(answer: unknown, depth = 0): string[] {
  if (typeof answer === 'string') {
    const text = answer.trim();
    if (!text) return [];
    // A JSON object or list serialised as a string: read it once (never deeper, so a description that
    // happens to look like JSON is not taken apart twice).
    if (depth === 0 && /^[[{]/.test(text)) {
      try {
        const parsed = describeTexts(JSON.parse(text) as unknown, depth + 1);
        if (parsed.length > 0) return parsed;
      } catch {
        // Not JSON after all: it is the text.
      }
    }
    return [text];
  }
  if (Array.isArray(answer)) return answer.flatMap((item) => describeTexts(item, depth));
  if (answer === null || typeof answer !== 'object') return [];
  const record = answer as Record<string, unknown>;
  for (const key of ['descriptions', 'output', 'text', 'description', 'caption', 'prompt']) {
    if (key in record) {
      const found = describeTexts(record[key], depth);
      if (found.length > 0) return found;
    }
  }
  return [];
}

/** The description to use: the first one (upstream returns one by default). */
export function describeText(answer: unknown): string | undefined {
  return describeTexts(answer)[0];
}

/**
 * A description as alt text: one line, without a trailing full stop's surrounding spaces, at most `maxLength`
 * characters cut at a word (screen readers read alt text whole; long ones belong in a caption).
 */
export function altTextFrom(description: string, maxLength = 250): string {
  const line = description.replace(/\s+/g, ' ').trim();
  if (line.length <= maxLength) return line;
  const cut = line.slice(0, maxLength + 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut.slice(0, maxLength)).replace(/[\s,;:]+$/, '')}…`;
}
