import { directionOf, translate, type Language } from '@vigil/i18n';

/**
 * One template per mail: a mail is written once as a list of blocks, and both parts (text and HTML) are
 * rendered from that list, so they cannot say different things.
 *
 * Every string that reaches the HTML goes through `escapeHtml`; a template cannot emit raw markup.
 */

/** A piece of text. `partner` marks text written by a partner (names, summary, details): any script, any direction. */
export interface Run {
  text: string;
  href?: string;
  partner?: boolean;
}

export type Inline = string | Run;

export type Block =
  | { kind: 'heading'; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  /** A partner's prose (a summary, a reason), shown as its own paragraph in its own direction. */
  | { kind: 'prose'; label: string; text: string }
  | { kind: 'facts'; rows: { label: string; value: Inline[] }[] }
  | { kind: 'action'; label: string; href: string }
  | { kind: 'footer'; paragraphs: Inline[][] };

export interface MailDocument {
  subject: string;
  blocks: Block[];
  /** The reader's language: `lang` and `dir` of the HTML part (Persian is right to left). English when absent. */
  language?: Language;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const WIDTH = 72;
const LINK = 'color:#1a4fb4;';
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const PERSIAN_ONLY = /[پچژگکی]/;
const ARABIC_ONLY = /[ةيك]/;
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
// Embeddings, overrides and isolates from a partner could reorder the rest of a line (a spoofed name in a subject).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
// White space and control characters; not the zero-width non-joiner (U+200C), which Persian spelling needs.
const SPACE_AND_CONTROLS = /[\s\p{Cc}]+/gu;

/** Partner text on one line: no control characters, no bidi overrides, single spaces. */
export function cleanText(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  return String(value).replace(BIDI_CONTROLS, '').replace(SPACE_AND_CONTROLS, ' ').trim();
}

export function partner(value: unknown): Run {
  return { text: cleanText(value), partner: true };
}

export function link(text: Inline, href: string): Run {
  return typeof text === 'string' ? { text, href } : { ...text, href };
}

/** "A", "A and B", "A, B and C" ("الف، ب و ج" in Persian), keeping each item as it is. */
export function listOf(items: Inline[], language: Language = 'en'): Inline[] {
  const comma = translate(language, 'list.comma');
  const and = translate(language, 'list.and');
  return items.flatMap((item, index) => {
    if (index === 0) return [item];
    return [index === items.length - 1 ? and : comma, item];
  });
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Only http(s) links are rendered as links: a partner's `javascript:` URL stays plain text. */
export function safeHref(href: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A BCP 47 tag for Arabic-script text, so readers and screen readers do not take it for English. */
export function languageOf(text: string): string | undefined {
  if (!ARABIC_SCRIPT.test(text)) return undefined;
  if (PERSIAN_ONLY.test(text)) return 'fa';
  return ARABIC_ONLY.test(text) ? 'ar' : 'und-Arab';
}

export function renderMail(document: MailDocument): RenderedMail {
  const subject = cleanText(document.subject);
  return {
    subject,
    text: renderText(document.blocks),
    html: renderHtml(subject, document.blocks, document.language ?? 'en'),
  };
}

// --- text part ---------------------------------------------------------------------------------------

function inlineText(content: Inline[]): string {
  return content
    .map((item) => {
      if (typeof item === 'string') return item;
      // First-strong isolates keep an RTL name from reordering the English around it in a plain-text reader.
      const text = item.partner && RTL.test(item.text) ? `\u2068${item.text}\u2069` : item.text;
      const href = safeHref(item.href);
      if (!href) return text;
      return text === href ? href : `${text} <${href}>`;
    })
    .join('');
}

/** Wraps at spaces; a word longer than the line (a URL) stays whole, so links keep working. */
export function wrap(line: string, width = WIDTH, indent = ''): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ').filter(Boolean)) {
    if (!current) current = (lines.length ? indent : '') + word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = indent + word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const lines = wrap(inlineText(block.content));
      return [...lines, '='.repeat(Math.max(0, ...lines.map((line) => line.length)))].join('\n');
    }
    case 'paragraph':
      return wrap(inlineText(block.content)).join('\n');
    case 'prose':
      return [`${block.label}:`, ...wrap(inlineText([partner(block.text)]))].join('\n');
    case 'facts':
      return block.rows.flatMap((row) => wrap(`${row.label}: ${inlineText(row.value)}`, WIDTH, '  ')).join('\n');
    case 'action':
      // The URL on a line of its own: never wrapped, and every client turns it into a link.
      return `${block.label}:\n${safeHref(block.href) ?? ''}`;
    case 'footer':
      // "-- " is the signature separator: clients dim or fold what follows.
      return ['-- ', ...block.paragraphs.map((paragraph) => wrap(inlineText(paragraph)).join('\n'))].join('\n');
    default:
      return assertNever(block);
  }
}

function renderText(blocks: Block[]): string {
  return `${blocks.map(blockText).join('\n\n')}\n`;
}

// --- HTML part ---------------------------------------------------------------------------------------

function directionAttributes(text: string): string {
  const lang = languageOf(text);
  return ` dir="auto"${lang ? ` lang="${lang}"` : ''}`;
}

function inlineHtml(content: Inline[]): string {
  return content
    .map((item) => {
      if (typeof item === 'string') return escapeHtml(item);
      let html = escapeHtml(item.text);
      if (item.partner) html = `<span${directionAttributes(item.text)}>${html}</span>`;
      const href = safeHref(item.href);
      return href ? `<a href="${escapeHtml(href)}" style="${LINK}">${html}</a>` : html;
    })
    .join('');
}

function blockHtml(block: Block, start: 'left' | 'right'): string {
  switch (block.kind) {
    case 'heading':
      return `<h1 style="font-size:20px;line-height:1.3;margin:0 0 16px;">${inlineHtml(block.content)}</h1>`;
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${inlineHtml(block.content)}</p>`;
    case 'prose': {
      const text = cleanText(block.text);
      return (
        `<h2 style="font-size:16px;margin:0 0 4px;">${escapeHtml(block.label)}</h2>` +
        `<p${directionAttributes(text)} style="margin:0 0 16px;">${escapeHtml(text)}</p>`
      );
    }
    case 'facts': {
      const rows = block.rows.map(
        (row) =>
          `<tr><th scope="row" style="text-align:${start};vertical-align:top;padding:4px 12px 4px 0;font-weight:bold;">` +
          `${escapeHtml(row.label)}</th><td style="vertical-align:top;padding:4px 0;">${inlineHtml(row.value)}</td></tr>`,
      );
      return `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px;">${rows.join('')}</table>`;
    }
    case 'action': {
      const href = safeHref(block.href) ?? '';
      return (
        `<p style="margin:0 0 16px;"><a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 20px;` +
        `background:#1a4fb4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold;">` +
        `${escapeHtml(block.label)}</a></p>`
      );
    }
    case 'footer': {
      const paragraphs = block.paragraphs.map((paragraph) => `<p style="margin:0 0 8px;">${inlineHtml(paragraph)}</p>`);
      return `<div style="border-top:1px solid #dddddd;margin-top:24px;padding-top:12px;font-size:13px;color:#555555;">${paragraphs.join('')}</div>`;
    }
    default:
      return assertNever(block);
  }
}

function renderHtml(subject: string, blocks: Block[], language: Language): string {
  const direction = directionOf(language);
  const start = direction === 'rtl' ? 'right' : 'left';
  return [
    '<!doctype html>',
    `<html lang="${language}" dir="${direction}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f4f4f4;">',
    `<div dir="${direction}" style="max-width:600px;margin:0 auto;padding:20px 16px;background:#ffffff;color:#1a1a1a;text-align:${start};` +
      'font-family:-apple-system,Segoe UI,Roboto,Tahoma,Arial,sans-serif;font-size:16px;line-height:1.5;">',
    ...blocks.map((block) => blockHtml(block, start)),
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function assertNever(value: never): never {
  throw new Error(`unknown mail block ${JSON.stringify(value)}`);
}
