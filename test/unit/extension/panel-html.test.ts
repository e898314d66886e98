/** The panel's HTML keeps a strict CSP: nonce'd script only, styles from the extension, nothing inline. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, makeNonce, panelCsp, panelHtml } from '../../../extension/panel-html.js';

const options = { cspSource: 'vscode-webview://abc', scriptUri: 'https://file+.vscode-resource/x/dist/webview/webview.js', styleUri: 'https://file+.vscode-resource/x/dist/webview/panel.css', nonce: 'N0nce', title: 'Run: <b>"x"</b>' };

describe('panel html', () => {
  it('allows only the nonce\'d script, the extension\'s styles and images', () => {
    assert.equal(panelCsp('vscode-webview://abc', 'N0nce'), "default-src 'none'; script-src 'nonce-N0nce'; style-src vscode-webview://abc; img-src vscode-webview://abc data:");
  });

  it('has no inline styles or scripts and escapes the title', () => {
    const html = panelHtml(options);
    assert.equal(/style=/i.test(html), false);
    assert.equal(/<style/i.test(html), false);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]!, /nonce="N0nce" src="https:\/\/file\+\.vscode-resource\/x\/dist\/webview\/webview\.js"/);
    assert.match(html, /<\/script>\n<\/body>/);
    assert.match(html, /<title>Run: &lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/title>/);
    assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;;/);
  });

  it('makes a fresh url-safe nonce each time', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.match(a, /^[A-Za-z0-9_-]{24}$/);
    assert.notEqual(a, b);
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });
});
