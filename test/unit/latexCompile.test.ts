// Compiles LaTeX links with a real TeX (issue 24): every image link the writer makes for a hostile file name must
// include that very file, and every caption must print its text. Checked with each of pdflatex and lualatex that is
// installed (Debian: texlive-latex-base and texlive-latex-recommended; poppler-utils adds the caption check);
// without them the test says so and is skipped. linkFormats.test.ts checks the same escaping without TeX.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { LINK_FORMATS } from '../../src/core/linkFormats';
import { relativePath } from '../../src/core/linkText';
import { renderImage } from '../fake-segmind/image';
import { latexCaption, LATEX_FILE_NAMES, latexNameSegment } from './latexSamples';

/** Whether a command runs (pdftotext takes `-v`, TeX `--version`). */
function installed(command: string, versionFlag = '--version'): boolean {
  return spawnSync(command, [versionFlag], { stdio: 'ignore' }).status === 0;
}

/** What pdftotext shows for the glyphs the default (OT1) fonts print for these characters. */
const PRINTED_AS: Record<string, string> = { '\u2019': "'", '\u2018': '`', '\u02dc': '~', '\u02c6': '^' };

interface Figure {
  /** The image's path relative to the document, as the user's file system has it. */
  file: string;
  caption: string;
}

function figures(): Figure[] {
  const fixed = LATEX_FILE_NAMES.map(({ name }, index) => ({ file: `fig/${name}`, caption: `fixed ${index}` }));
  // Random names in a folder beside the document's, so the links also climb out with `../`.
  const random = fc
    .sample(fc.tuple(fc.array(latexNameSegment, { minLength: 1, maxLength: 2 }), latexCaption), {
      numRuns: 40,
      seed: 24,
    })
    .map(([segments, caption]) => ({
      file: relativePath('/work/doc', `/work/images/${segments.join('/')}.png`),
      caption,
    }));
  const unique = new Map([...fixed, ...random].map((figure) => [figure.file, figure]));
  return [...unique.values()];
}

describe('LaTeX links compiled by TeX (issue 24)', function () {
  this.timeout(180_000);

  for (const engine of ['pdflatex', 'lualatex']) {
    it(`${engine}: each link includes its file, whatever its name, and each caption prints its text`, function () {
      if (!installed(engine)) {
        console.log(`      skipped: ${engine} is not installed (apt-get install texlive-latex-base)`);
        this.skip();
      }
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ideogram-latex-'));
      try {
        const document = path.join(root, 'doc');
        const all = figures();
        const body: string[] = [];
        all.forEach((figure, index) => {
          const file = path.join(document, figure.file);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, renderImage(index, 64, 64, 'png'));
          const parts = { path: figure.file, alt: figure.caption };
          body.push(`Inline ${index}: ${LINK_FORMATS.latex.build(parts, 'inline')} end.`, '');
          // One float a page: TeX holds at most 18 unplaced ones.
          body.push(LINK_FORMATS.latex.build(parts, 'block'), '\\clearpage', '');
        });
        const tex = [
          '\\documentclass{article}',
          '\\usepackage{graphicx}',
          '\\begin{document}',
          ...body,
          '\\end{document}',
        ];
        fs.writeFileSync(path.join(document, 'main.tex'), tex.join('\n'));

        const run = spawnSync(engine, ['-interaction=nonstopmode', '-halt-on-error', 'main.tex'], {
          cwd: document,
          encoding: 'utf8',
          env: { ...process.env, max_print_line: '100000' },
        });
        const log = fs.readFileSync(path.join(document, 'main.log'), 'utf8');
        const errors = log
          .split('\n')
          .filter((line) => line.startsWith('!') || /^LaTeX Warning: File .* not found/.test(line));
        assert.deepEqual(errors, [], `${engine} reported errors (exit ${run.status})`);
        assert.equal(run.status, 0);

        // TeX logs the name of each graphic it opens: every file, once inline and once in its figure.
        const opened = [...log.matchAll(/^File: (.*) Graphic file \(type png\)$/gm)].map((match) => match[1]);
        for (const figure of all) {
          assert.equal(
            opened.filter((name) => name === figure.file).length,
            2,
            `${engine} opened ${JSON.stringify(figure.file)} for both links`,
          );
        }
        assert.equal(opened.length, 2 * all.length, 'no other file');

        if (!installed('pdftotext', '-v')) {
          console.log('      caption check skipped: pdftotext is not installed (apt-get install poppler-utils)');
          return;
        }
        const text = execFileSync('pdftotext', [path.join(document, 'main.pdf'), '-'], { encoding: 'utf8' });
        const printed = new Map(
          [...text.matchAll(/^Figure (\d+): (.*)$/gm)].map((match) => [
            Number(match[1]),
            [...(match[2] ?? '')].map((character) => PRINTED_AS[character] ?? character).join(''),
          ]),
        );
        all.forEach((figure, index) => {
          // TeX sets a run of spaces in text as one space, and pdftotext may add one between glyphs of two fonts. The
          // default fonts draw `\_` as a rule, not a glyph: no text extractor sees it.
          assert.equal(
            (printed.get(index + 1) ?? '').replace(/\s+/g, ''),
            figure.caption.replace(/[\s_]+/g, ''),
            `${engine}, the caption of ${JSON.stringify(figure.file)}`,
          );
        });
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
