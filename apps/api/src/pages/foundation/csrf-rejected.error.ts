/** A form posted without the CSRF token of the browser's cookie: a 403, and nothing is written. */
export class CsrfRejectedError extends Error {
  constructor() {
    super('the form’s CSRF token is missing or does not match; reload the page and send the form again');
  }
}
