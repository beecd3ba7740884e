// The sidebar's Content Security Policy (src/webview/html.ts): what the page may load, run and submit.
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, renderHtml } from '../../src/webview/html';

describe('sidebar Content Security Policy', () => {
  const directives = (policy: string) => new Map(policy.split(';').map((part) => {
    const [name = '', ...values] = part.trim().split(/\s+/);
    return [name, values.join(' ')] as const;
  }));

  it('allows nothing by default, only the nonce\'d script, no form submission and no <base>', () => {
    const policy = directives(contentSecurityPolicy('https://webview.example', 'n0nce'));
    assert.equal(policy.get('default-src'), "'none'");
    assert.equal(policy.get('script-src'), "'nonce-n0nce'");
    assert.equal(policy.get('form-action'), "'none'");
    assert.equal(policy.get('base-uri'), "'none'");
    assert.ok(![...policy.values()].some((value) => /unsafe|\*|https?:\/\/(?!webview\.example)/.test(value)), [...policy].join('; '));
  });

  it('is in the page, with the nonce on the script', () => {
    const html = renderHtml({ cspSource: 'https://webview.example', nonce: 'n0nce', scriptUri: 'https://webview.example/a.js', styleUri: 'https://webview.example/a.css', language: 'en', title: 'Ideogram' });
    assert.ok(html.includes('form-action &#39;none&#39;'), html);
    assert.match(html, /<script nonce="n0nce"/);
  });
});
