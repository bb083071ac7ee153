import { html, type Html } from './html';
import { CSRF_FIELD } from './csrf';

/** The hidden field every page form must carry (CsrfTokens.verify checks it on the POST). */
export const csrfField = (token: string): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />`;
