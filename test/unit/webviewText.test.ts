// The sidebar speaks the user's language: every word it shows comes from the host's translated strings
// (src/sidebar/sidebarStrings.ts, checked against the l10n bundles by contributions.test.ts), none is an
// English literal in media/. This scans the webview's sources for text put where a user reads or hears it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const MEDIA = path.resolve(__dirname, '../../../media');

/** Attributes a user reads (tooltips, placeholders) or hears (screen readers). */
const TEXT_ATTRIBUTES = new Set([
  'title',
  'placeholder',
  'aria-label',
  'aria-valuetext',
  'aria-roledescription',
  'alt',
  'label',
]);
/** Properties that set what is shown. */
const TEXT_PROPERTIES = new Set(['textContent', 'innerText', 'title', 'placeholder', 'label', 'ariaLabel']);
/** Functions whose arguments end up on screen or in a screen reader: the element builder's children, announcements… */
const TEXT_CALLS = new Set(['announce', 'showStatus', 'append', 'prepend', 'replaceChildren', 'Error']);
/** Units read the same in every language the extension speaks. */
const NEUTRAL = /\b(px|MP)\b/g;

/** The literal text pieces of an expression, not looking into calls (a nested h() is checked on its own). */
function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    return [
      node.head.text,
      ...node.templateSpans.flatMap((span) => [span.literal.text, ...literalTexts(span.expression)]),
    ];
  }
  if (ts.isCallExpression(node) || ts.isElementAccessExpression(node)) return [];
  const texts: string[] = [];
  node.forEachChild((child) => {
    texts.push(...literalTexts(child));
  });
  return texts;
}

const isWords = (text: string) => /[A-Za-z]{2,}/.test(text.replace(NEUTRAL, ''));

/** Every English literal put into the page by this source: `file:line: text`. */
function englishLiterals(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (expression: ts.Node) => {
    for (const literal of literalTexts(expression).filter(isWords)) {
      found.push(`${file}:${source.getLineAndCharacterOfPosition(expression.getStart(source)).line + 1}: ${literal}`);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      const args = node.arguments ?? [];
      if (name === 'h') {
        const [, attributes, ...children] = args;
        if (attributes && ts.isObjectLiteralExpression(attributes)) {
          for (const property of attributes.properties) {
            if (
              ts.isPropertyAssignment(property) &&
              TEXT_ATTRIBUTES.has(property.name.getText(source).replace(/^['"]|['"]$/g, ''))
            )
              report(property.initializer);
          }
        }
        children.forEach(report);
      } else if (
        name === 'setAttribute' &&
        args[0] &&
        ts.isStringLiteral(args[0]) &&
        TEXT_ATTRIBUTES.has(args[0].text) &&
        args[1]
      ) {
        report(args[1]);
      } else if (TEXT_CALLS.has(name)) {
        args.forEach(report);
      }
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      TEXT_PROPERTIES.has(node.left.name.text)
    ) {
      report(node.right);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe("the sidebar's words", () => {
  it("media/ puts no English literal into the page: every text comes from the host's strings", () => {
    const files = fs.readdirSync(MEDIA).filter((name) => name.endsWith('.ts'));
    assert.ok(files.includes('main.ts') && files.includes('form.ts'), files.join());
    const found = files.flatMap((name) =>
      englishLiterals(`media/${name}`, fs.readFileSync(path.join(MEDIA, name), 'utf8')),
    );
    assert.deepEqual(found, [], 'words for media/strings.ts (`words.…`, from src/sidebar/sidebarStrings.ts)');
  });

  it('would notice one (the check is not blind)', () => {
    const sample = [
      "h('button', { type: 'button', class: 'primary', title: 'Save the image' }, icon('check'), words.save, 'Save');",
      'status.textContent = `${count} images match`;',
      "element.setAttribute('aria-label', ok ? words.done : 'Failed');",
      'announce(`Image ready: ${prompt}`);',
      'caption.textContent = `${width} × ${height} px · ${megapixels} MP`;',
      "h('kbd', {}, isMac ? '⌘' : words.ctrlKey);",
    ].join('\n');
    assert.deepEqual(
      englishLiterals('sample.ts', sample).map((line) => line.replace(/^sample\.ts:\d+: /, '')),
      ['Save the image', 'Save', ' images match', 'Failed', 'Image ready: '],
    );
  });
});
