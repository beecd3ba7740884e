// The sidebar's page (src/sidebar/html.ts): what it may load, run and submit, and how the host's strings
// and code get into it without becoming markup.
import * as assert from 'node:assert/strict';
import type { PageSnapshot } from '../../src/common/protocol';
import type { SidebarStrings } from '../../src/sidebar/sidebarStrings';
import { contentSecurityPolicy, renderHtml, renderUnavailableHtml, type HtmlParts } from '../../src/sidebar/html';

const parts = (change: Partial<HtmlParts> = {}): HtmlParts => ({
  cspSource: 'https://webview.example',
  nonce: 'n0nce',
  script: 'document.body.dataset.ran = "1";',
  style: 'body { color: red; }',
  language: 'de',
  title: 'Ideogram',
  strings: { prompt: 'Prompt' } as Partial<SidebarStrings> as SidebarStrings,
  ...change,
});

/** The text of the page's strings block, as the webview reads it (media/strings.ts). */
function stringsBlock(html: string): unknown {
  const match = /<script id="strings" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(match, html);
  return JSON.parse(match[1]);
}

describe('sidebar page', () => {
  const directives = (policy: string) =>
    new Map(
      policy.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );

  it("allows nothing by default, only the nonce'd script and style, no form submission and no <base>", () => {
    const policy = directives(contentSecurityPolicy('https://webview.example', 'n0nce'));
    assert.equal(policy.get('default-src'), "'none'");
    assert.equal(policy.get('script-src'), "'nonce-n0nce'");
    assert.equal(policy.get('style-src'), "'nonce-n0nce'");
    assert.equal(policy.get('form-action'), "'none'");
    assert.equal(policy.get('base-uri'), "'none'");
    assert.ok(
      ![...policy.values()].some((value) => /unsafe|\*|https?:\/\/(?!webview\.example)/.test(value)),
      [...policy].join('; '),
    );
  });

  it('puts the policy in the page, the nonce on the one script and the one style sheet, and no handler or style attribute', () => {
    const html = renderHtml(parts());
    assert.ok(html.includes('form-action &#39;none&#39;'), html);
    assert.ok(html.includes('<script nonce="n0nce">document.body.dataset.ran = "1";</script>'), html);
    assert.ok(html.includes('<style nonce="n0nce">body { color: red; }</style>'), html);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    assert.deepEqual(
      scripts.filter((tag) => !tag.includes('type="application/json"')),
      ['<script nonce="n0nce">'],
    );
    assert.deepEqual(
      [...html.matchAll(/<style\b[^>]*>/g)].map((match) => match[0]),
      ['<style nonce="n0nce">'],
    );
    assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=|<link\b/i);
  });

  it('writes code that mentions its own end tag so that the element does not end there', () => {
    const script = 'const end = "</script><script>alert(1)</SCRIPT>"; const r = /<\\/script>/u;';
    const style = '.a::after { content: "</style><script>alert(1)</script>"; }';
    const html = renderHtml(parts({ script, style }));
    const run = /<script nonce="n0nce">([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.equal(run, 'const end = "<\\/script><script>alert(1)<\\/SCRIPT>"; const r = /<\\/script>/u;');
    // The same value in JavaScript: `<\/` is `</` in a string.
    assert.equal(new Function(`${run}; return end;`)(), '</script><script>alert(1)</SCRIPT>');
    const sheet = /<style nonce="n0nce">([\s\S]*?)<\/style>/.exec(html)?.[1];
    assert.equal(sheet, '.a::after { content: "<\\/style><script>alert(1)</script>"; }');
    assert.throws(() => renderHtml(parts({ script: 'const c = "<!--";' })), /<!--/);
  });

  it('carries the strings as data the webview reads back exactly, even text that looks like markup', () => {
    const hostile = '</script><script>alert(1)</script><!-- “Prompt” & \u2028';
    const html = renderHtml(parts({ strings: { prompt: hostile } as Partial<SidebarStrings> as SidebarStrings }));
    assert.deepEqual(stringsBlock(html), { prompt: hostile });
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the two script elements end');
    assert.ok(!html.includes('<!--'), 'no comment opened by a string');
  });

  it('carries the first snapshot as data, prompts that look like markup included, and leaves it out when there is none', () => {
    const hostile = 'A sign that reads "</script><script>alert(1)</script>" <!-- x';
    const snapshot = {
      page: 'p1',
      snapshot: { galleryRevision: 3, runs: [{ prompt: hostile }] },
    } as unknown as PageSnapshot;
    const html = renderHtml(parts({ snapshot }));
    const match = /<script id="snapshot" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(match, html);
    assert.deepEqual(JSON.parse(match[1]), snapshot);
    assert.equal(html.match(/<\/script>/g)?.length, 3, 'only the three script elements end');
    assert.ok(!html.includes('<!--'), 'no comment opened by a prompt');
    assert.ok(!renderHtml(parts()).includes('id="snapshot"'));
  });

  it('without its own page, says why as text: nothing runs, nothing loads, the reason is escaped', () => {
    const html = renderUnavailableHtml({
      language: 'de"x',
      title: 'Ideogram',
      message: "could not be shown: ENOENT, stat '/x/<script>alert(1)</script>/webview.js'",
    });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'">/);
    assert.ok(!/<script/i.test(html), html);
    assert.match(html, /<p role="alert">could not be shown: ENOENT, stat &#39;\/x\/&#60;script&#62;alert\(1\)/);
    assert.match(html, /<html lang="de&#34;x">/);
  });

  it('escapes the language and title it is given', () => {
    const html = renderHtml(parts({ language: 'de"><script>', title: 'A <b>' }));
    assert.match(html, /<html lang="de&#34;&#62;&#60;script&#62;">/);
    assert.match(html, /<title>A &#60;b&#62;<\/title>/);
  });
});
