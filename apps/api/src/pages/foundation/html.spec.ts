import { attributes, html, Html, trusted } from './html';

describe('html templates', () => {
  it('escapes every interpolated string, in content and in attributes', () => {
    const summary = '<script>alert(1)</script> & "quotes" \'single\'';
    expect(String(html`<p title="${summary}">${summary}</p>`)).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;">' +
        '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;</p>',
    );
  });

  it('keeps nested templates and trusted markup, joins lists and drops false, null and undefined', () => {
    const names = ['Ali', '<b>'];
    const out = html`<ul>${names.map((name) => html`<li>${name}</li>`)}</ul>${false}${null}${undefined}${trusted('<hr>')}`;
    expect(String(out)).toBe('<ul><li>Ali</li><li>&lt;b&gt;</li></ul><hr>');
  });

  it('treats an object that only looks like Html as text', () => {
    const forged = { toString: () => '<script>x</script>' } as unknown as Html;
    expect(String(html`${forged}`)).toBe('&lt;script&gt;x&lt;/script&gt;');
    expect(() => new (Html as unknown as new (m: string, t: symbol) => Html)('<b>', Symbol('html'))).toThrow();
  });

  it('writes boolean attributes by presence and escapes values', () => {
    expect(String(attributes({ name: 'a"b', checked: true, disabled: false, value: 3, hint: undefined }))).toBe(
      ' name="a&quot;b" checked value="3"',
    );
  });
});
