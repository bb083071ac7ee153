import { directionOf, LANGUAGE_NAMES, LANGUAGES } from '@vigil/i18n';
import { ASSET_URLS } from './assets.controller';
import { html, type Html } from './html';
import { withLanguage, type PageContext } from './page-context';

export interface LayoutOptions {
  title: string;
  main: Html;
  /** Loads /assets/suggest.js (name suggestions, "add another"): only pages with such fields need it. */
  script?: boolean;
  /** A page's own navigation under the site header (the admin console's sections and its sign-out). */
  nav?: Html;
  /** Wide pages hold tables (the admin console); the public pages keep a readable measure. */
  wide?: boolean;
}

/**
 * The one layout of every page: the language and direction on <html>, a skip link, the language switch, the
 * stylesheet and icon served by Vigil, and at most one script file. No inline script or style (PAGE_CSP).
 */
export function layout(context: PageContext, { title, main, script = false, nav, wide = false }: LayoutOptions): Html {
  const { language, t } = context;
  const switcher = LANGUAGES.map((other) =>
    other === language
      ? html`<li><span aria-current="true" lang="${other}">${LANGUAGE_NAMES[other]}</span></li>`
      : html`<li><a href="${withLanguage(context.here, other)}" lang="${other}" hreflang="${other}">${LANGUAGE_NAMES[other]}</a></li>`,
  );
  return html`<!doctype html>
<html lang="${language}" dir="${directionOf(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${title} · ${t('site.name')}</title>
<link rel="icon" href="${ASSET_URLS.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${ASSET_URLS.stylesheet}">
${script ? html`<script src="${ASSET_URLS.suggestScript}" defer></script>` : ''}
</head>
<body${wide ? html` class="wide"` : ''}>
<a class="skip" href="#main">${t('layout.skip')}</a>
<header class="site">
<a class="brand" href="${withLanguage('/', language)}">${t('site.name')}</a>
<nav aria-label="${t('layout.language')}"><ul class="languages">${switcher}</ul></nav>
</header>
${nav ?? ''}
<main id="main">
<h1>${title}</h1>
${main}
</main>
<footer class="site"><p>${t('layout.footer')}</p></footer>
</body>
</html>
`;
}

/** A page that only says something: the answers to forms, and errors. */
export function messagePage(
  context: PageContext,
  title: string,
  paragraphs: (string | Html)[],
  tone?: 'problem',
): Html {
  const { t, language } = context;
  return layout(context, {
    title,
    main: html`<div class="${tone ?? 'notice'}">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>
<p><a href="${withLanguage('/', language)}">${t('layout.home')}</a></p>`,
  });
}
