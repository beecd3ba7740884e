// The sidebar's page (src/sidebar/html.ts): what it may load, run and submit, and how the host's strings
// and URIs get into it without becoming markup.
import * as assert from 'node:assert/strict';
import type { SidebarStrings } from '../../src/sidebar/sidebarStrings';
import { contentSecurityPolicy, renderHtml, type HtmlParts } from '../../src/sidebar/html';

const parts = (change: Partial<HtmlParts> = {}): HtmlParts => ({
  cspSource: 'https://webview.example',
  nonce: 'n0nce',
  scriptUri: 'https://webview.example/a.js',
  styleUri: 'https://webview.example/a.css',
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

  it("allows nothing by default, only the nonce'd script, no form submission and no <base>", () => {
    const policy = directives(contentSecurityPolicy('https://webview.example', 'n0nce'));
    assert.equal(policy.get('default-src'), "'none'");
    assert.equal(policy.get('script-src'), "'nonce-n0nce'");
    assert.equal(policy.get('form-action'), "'none'");
    assert.equal(policy.get('base-uri'), "'none'");
    assert.ok(
      ![...policy.values()].some((value) => /unsafe|\*|https?:\/\/(?!webview\.example)/.test(value)),
      [...policy].join('; '),
    );
  });

  it('puts the policy in the page, the nonce on the one script that runs, and no inline handler or style', () => {
    const html = renderHtml(parts());
    assert.ok(html.includes('form-action &#39;none&#39;'), html);
    assert.match(html, /<script nonce="n0nce" src="https:\/\/webview\.example\/a\.js"><\/script>/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    assert.deepEqual(
      scripts.filter((tag) => !tag.includes('type="application/json"')),
      ['<script nonce="n0nce" src="https://webview.example/a.js">'],
    );
    assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=/i);
  });

  it('carries the strings as data the webview reads back exactly, even text that looks like markup', () => {
    const hostile = '</script><script>alert(1)</script><!-- “Prompt” & \u2028';
    const html = renderHtml(parts({ strings: { prompt: hostile } as Partial<SidebarStrings> as SidebarStrings }));
    assert.deepEqual(stringsBlock(html), { prompt: hostile });
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the two script elements end');
    assert.ok(!html.includes('<!--'), 'no comment opened by a string');
  });

  it('escapes the language, title and URIs it is given', () => {
    const html = renderHtml(
      parts({ language: 'de"><script>', title: 'A <b>', styleUri: 'https://webview.example/a.css?x="y"' }),
    );
    assert.match(html, /<html lang="de&#34;&#62;&#60;script&#62;">/);
    assert.match(html, /<title>A &#60;b&#62;<\/title>/);
    assert.match(html, /href="https:\/\/webview\.example\/a\.css\?x=&#34;y&#34;"/);
  });
});
