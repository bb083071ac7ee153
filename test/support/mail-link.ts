import type { ParsedMail } from 'mailparser';

/** The token of the mail's first link to `path` (`…path?token=…` in the text part), decoded as the page reads it. */
export function tokenIn(mail: ParsedMail, path: string): string {
  const found = new RegExp(`https?://[^\\s"<>]*${path}\\?token=([A-Za-z0-9_%-]+)`).exec(mail.text ?? '');
  if (!found) throw new Error(`no ${path} link in the mail`);
  return decodeURIComponent(found[1]);
}
