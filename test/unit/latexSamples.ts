// File names and caption texts that break LaTeX links, shared by the escaping's unit test and the test that
// compiles the links with pdflatex (so both hold the same cases).
import * as fc from 'fast-check';

/** Each character TeX acts on in a file name, with what the LaTeX link must write for it (issue 24). */
export const LATEX_FILE_NAMES: ReadonlyArray<{ name: string; written: string }> = [
  { name: 'a#b.png', written: 'a\\csname c_hash_str\\endcsname b.png' },
  { name: '50%.png', written: '50\\csname c_percent_str\\endcsname .png' },
  { name: 'two  spaces.png', written: 'two \\space spaces.png' },
  { name: 'three   spaces.png', written: 'three \\space \\space spaces.png' },
  { name: 'a# b.png', written: 'a\\csname c_hash_str\\endcsname \\space b.png' },
  { name: 'a_b.png', written: 'a_b.png' },
  { name: 'a&b~c^d$e.png', written: 'a\\string&b\\string~c\\string^d\\string$e.png' },
  { name: 'x^^41.png', written: 'x\\string^\\string^41.png' },
  {
    name: '{x}\\y.png',
    written:
      '\\csname c_left_brace_str\\endcsname x\\csname c_right_brace_str\\endcsname \\csname c_backslash_str\\endcsname y.png',
  },
  { name: 'unbalanced{.png', written: 'unbalanced\\csname c_left_brace_str\\endcsname .png' },
  { name: ' leading space.png', written: './ leading space.png' },
  { name: '~home.png', written: './\\string~home.png' },
  { name: 'a cat (1) [v2] ü 猫.png', written: 'a cat (1) [v2] ü 猫.png' },
];

/**
 * File and folder names of the characters above, any run of spaces inside. Never a `"` (Web2C removes quotes) or
 * `$` (kpathsea expands `$NAME` of a set variable: the list above has a `$` before an unset one), nor a `\` (the
 * host's relative paths read it as a separator, as Windows does; the list above has one).
 */
export const latexNameSegment = fc
  .array(fc.constantFrom(..."ab9-_.()[]#%{}~^&'!?@+,;=ü猫😀".split(/(?:)/u), ' ', '  ', '   '), {
    minLength: 1,
    maxLength: 10,
  })
  .map((characters) => characters.join(''))
  .filter((name) => name.trim() !== '' && name !== '.' && name !== '..' && !name.endsWith(' '));

/** Caption text: what LaTeX acts on, what its fonts print as another glyph, and ligatures. */
export const latexCaption = fc
  .array(fc.constantFrom(..."ab Z9,.'`[](){}<>|\\&#%_~^$=*!?-@".split('')), { maxLength: 24 })
  .map((characters) => characters.join('').replace(/\s+/g, ' ').trim());
