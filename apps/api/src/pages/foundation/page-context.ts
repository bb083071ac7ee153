import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseLanguage, isLanguage, translatorFor, type Language, type Translate } from '@vigil/i18n';

/** What every template needs about the request it answers: the language, its strings, and where it is. */
export interface PageContext {
  language: Language;
  t: Translate;
  /** The path and query of a GET that shows this page again; the language switch links to it. */
  here: string;
}

/** `?lang=` when it is en or fa, else Accept-Language (docs/api.md, "Pages"). */
export function languageOf(request: FastifyRequest): Language {
  const query = (request.query ?? {}) as Record<string, unknown>;
  return chooseLanguage(query.lang, request.headers['accept-language']);
}

/**
 * The context of a GET page; `here` is the request's own URL. A POST's answer passes where a GET shows it. A
 * `fallback` language (a subscription's own) comes before Accept-Language, after `?lang=`.
 */
export function pageContext(request: FastifyRequest, here = request.url, fallback?: Language): PageContext {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const language = fallback && !isLanguage(query.lang) ? fallback : languageOf(request);
  return { language, t: translatorFor(language), here };
}

/** `path` with `lang` set (and other parameters kept): the target of the language switch and of form actions. */
export function withLanguage(path: string, language: Language): string {
  const url = new URL(path, 'http://vigil.invalid');
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

/**
 * The pages' own CSP, stricter than the API's default: no inline script or style at all (the OpenAPI page
 * needs them, the pages do not), nothing from elsewhere, no framing, forms only to Vigil.
 */
export const PAGE_CSP =
  "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'; img-src 'self'";

/**
 * Sends a page: HTML, never cached (a manage page shows a token's subscription), not indexed, under PAGE_CSP.
 * Referrer-Policy: no-referrer is set on every answer (security-headers.ts).
 */
export function sendPage(reply: FastifyReply, body: { toString(): string }, status = 200): string {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .header('content-security-policy', PAGE_CSP);
  return String(body);
}
