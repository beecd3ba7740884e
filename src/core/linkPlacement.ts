// Where an image link goes around the cursor: formats with a block form (an AsciiDoc block image, a LaTeX
// figure, a reStructuredText directive) need their own lines, and AsciiDoc and reStructuredText also need
// blank lines around them, or the block is read as part of the paragraph next to it.
import type { LinkFormat, Placement } from './linkFormats';

export interface CursorLine {
  /** The whole line the cursor is on. */
  text: string;
  /** The lines above and below, when there are. */
  previous?: string;
  next?: string;
}

export interface InsertionPlan {
  placement: Placement;
  /** Insert at the end of the cursor's line instead of at the cursor (a block cannot split a line of text). */
  atLineEnd: boolean;
  /** Line breaks before and after the link. */
  before: string;
  after: string;
}

const isBlank = (line: string | undefined) => line === undefined || line.trim() === '';

/**
 * The plan for a link at the cursor. `prefix` is what the caller puts before the link (`'\n\n'` for a new
 * paragraph after a selection): it makes the link a block of its own.
 */
export function planInsertion(format: LinkFormat, line: CursorLine, prefix = ''): InsertionPlan {
  const onEmptyLine = isBlank(line.text);
  const newParagraph = prefix.includes('\n');
  const block = onEmptyLine || newParagraph || format.blockOnly;
  if (!block) return { placement: 'inline', atLineEnd: false, before: prefix, after: '' };
  if (format.id !== 'asciidoc' && format.id !== 'restructuredtext' && format.id !== 'latex') {
    return { placement: 'block', atLineEnd: false, before: prefix, after: '' };
  }
  const needsBlankLines = format.id !== 'latex';
  if (onEmptyLine) {
    return {
      placement: 'block',
      atLineEnd: false,
      before: needsBlankLines && !isBlank(line.previous) ? '\n' : '',
      after: needsBlankLines && !isBlank(line.next) ? '\n' : '',
    };
  }
  // Inside text (or after a selection): the block goes after the cursor's line, as a new paragraph.
  return {
    placement: 'block',
    atLineEnd: true,
    before: '\n\n',
    after: needsBlankLines && !isBlank(line.next) ? '\n' : '',
  };
}
