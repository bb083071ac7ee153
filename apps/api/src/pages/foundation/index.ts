// The page foundation shared by the public pages and the admin console (docs/architecture.md, "Pages").
export { attributes, escapeText, html, Html, trusted, type Interpolation } from './html';
export { layout, messagePage, type LayoutOptions } from './layout';
export { languageOf, PAGE_CSP, pageContext, sendPage, withLanguage, type PageContext } from './page-context';
export { CSRF_COOKIE, CSRF_FIELD, CsrfTokens, readCookie } from './csrf';
export { csrfField } from './csrf-field';
export { CsrfRejectedError } from './csrf-rejected.error';
export { isFormPost, isPageRoute, sendErrorPage, type PageRouteConfig } from './error-page';
export { PagesFoundationModule } from './pages-foundation.module';
export { ASSET_URLS } from './assets.controller';
