import { adminEn } from './admin-en';

/**
 * Every string Vigil shows a person in English: the reference catalogue. Keys are grouped by the page or mail
 * that shows them; `{name}` is filled in by `translate`. A key added here must be added to fa.ts too
 * (catalogue.spec.ts fails otherwise).
 */
export const en = {
  'site.name': 'Vigil',
  'site.tagline': 'Alerts when a human-rights report names someone you follow',
  'layout.skip': 'Skip to the content',
  'layout.language': 'Language',
  'layout.footer': 'Vigil loads nothing from other sites and keeps no analytics.',
  'layout.home': 'Start page',

  'error.csrf.title': 'This form has expired',
  'error.csrf.body':
    'The form was open for too long, or it was sent from another site. Go back, reload the page and send it again.',
  'error.notFound.title': 'Page not found',
  'error.notFound.body': 'There is nothing at this address.',
  'error.invalid.title': 'Please check the form',
  'error.rateLimited.title': 'Too many requests',
  'error.rateLimited.body': 'Too many requests came from your connection. Wait a few minutes and try again.',
  'error.unavailable.title': 'Vigil is busy',
  'error.unavailable.body': 'Vigil cannot answer right now. Nothing was changed. Please try again in a minute.',

  'confirm.title': 'Confirm your subscription',
  'confirm.body':
    'Press the button to start receiving Vigil alerts at this address. If you did not ask for them, close this page: nothing will be sent.',
  'confirm.button': 'Confirm subscription',
  'confirmed.title': 'Subscription confirmed',
  'confirmed.body': 'You will receive an alert when a report names someone you watch.',
  'confirmed.manage': 'Every alert mail has a link to the page where you can change, pause or erase your subscription.',
  'invalidLink.title': 'Link not valid',
  'invalidLink.body': 'This link is unknown, already used or expired. Nothing was changed.',
  'unsubscribe.title': 'Unsubscribe',
  'unsubscribe.body': 'Press the button to stop all Vigil alerts of this subscription and erase your address from it.',
  'unsubscribe.button': 'Unsubscribe',
  'unsubscribed.title': 'Unsubscribed',
  'unsubscribed.body': 'You will receive no further alerts from this subscription, and your address is erased from it.',

  // The admin console's strings live in admin-en.ts.
  ...adminEn,
} as const;
