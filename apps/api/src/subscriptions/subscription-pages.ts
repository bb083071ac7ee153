/** Small server-rendered pages: no external assets, readable on a phone and over a slow link. */

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)} · Vigil</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:#1a4d8f;color:#fff}</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

/** A GET never changes state (mail scanners follow links): the page asks for a deliberate click. */
export function confirmPage(token: string): string {
  return page(
    'Confirm your subscription',
    `<p>Press the button to start receiving Vigil alerts at this address. If you did not ask for them, close this page: nothing will be sent.</p>
<form method="post" action="/v1/subscriptions/confirm"><input type="hidden" name="token" value="${escape(token)}">
<button type="submit">Confirm subscription</button></form>`,
  );
}

export function unsubscribePage(token: string): string {
  return page(
    'Unsubscribe',
    `<p>Press the button to stop all Vigil alerts of this subscription and erase your address from it.</p>
<form method="post" action="/v1/subscriptions/unsubscribe?token=${encodeURIComponent(token)}">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escape(message)}</p>`);
}
