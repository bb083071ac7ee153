import { cleanText, languageOf, renderMail, safeHref, wrap } from './mail-document';

describe(renderMail.name, () => {
  it('renders one list of blocks to a text part and an HTML part', () => {
    const mail = renderMail({
      subject: 'Hello\nthere',
      blocks: [
        { kind: 'heading', content: ['Title'] },
        { kind: 'facts', rows: [{ label: 'Who', value: [{ text: 'Ann & Bob', partner: true }] }] },
        { kind: 'action', label: 'Go', href: 'https://example.org/a?b=1&c=2' },
      ],
    });
    expect(mail.subject).toBe('Hello there');
    expect(mail.text).toBe('Title\n=====\n\nWho: Ann & Bob\n\nGo:\nhttps://example.org/a?b=1&c=2\n');
    expect(mail.html).toContain('<h1 style="font-size:20px;line-height:1.3;margin:0 0 16px;">Title</h1>');
    expect(mail.html).toContain('<span dir="auto">Ann &#38; Bob</span>');
    expect(mail.html).toContain('href="https://example.org/a?b=1&#38;c=2"');
  });

  it('never renders a link that is not http(s)', () => {
    const mail = renderMail({
      subject: 's',
      blocks: [{ kind: 'paragraph', content: [{ text: 'click', href: 'javascript:alert(1)' }] }],
    });
    expect(mail.html).not.toContain('<a ');
    expect(mail.text).toBe('click\n');
  });
});

describe(wrap.name, () => {
  it('breaks at spaces within the width and indents continuation lines', () => {
    expect(wrap('aaa bbb ccc ddd', 8, '  ')).toEqual(['aaa bbb', '  ccc', '  ddd']);
  });

  it('keeps a word longer than the width whole', () => {
    expect(wrap('see https://example.org/a-very-long-path now', 10)).toEqual([
      'see',
      'https://example.org/a-very-long-path',
      'now',
    ]);
  });
});

describe(cleanText.name, () => {
  it('puts partner text on one line without bidi overrides, keeping the Persian zero-width non-joiner', () => {
    expect(cleanText(' a\r\n\tb\u0007c \u202Ed\u2066e ')).toBe('a b c de');
    expect(cleanText('می‌خواهم')).toBe('می‌خواهم');
  });

  it('gives nothing for a value that is not text', () => {
    expect(cleanText({ toString: () => 'x' })).toBe('');
    expect(cleanText(undefined)).toBe('');
    expect(cleanText(15)).toBe('15');
  });
});

describe(safeHref.name, () => {
  it.each([
    ['https://iranhr.net/', 'https://iranhr.net/'],
    ['http://a.example/x y', 'http://a.example/x%20y'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,x', undefined],
    ['not a url', undefined],
  ])('%s → %s', (href, expected) => {
    expect(safeHref(href)).toBe(expected);
  });
});

describe(languageOf.name, () => {
  it.each([
    ['Sharmin', undefined],
    ['شرمین میمندی‌نژاد', 'fa'],
    ['جمعية الإغاثة', 'ar'],
    ['محمد', 'und-Arab'],
  ])('%s → %s', (text, expected) => {
    expect(languageOf(text)).toBe(expected);
  });
});
