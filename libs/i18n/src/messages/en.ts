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

  'type.arrest': 'Arrest',
  'type.release': 'Release',
  'type.ruling': 'Court ruling',
  'type.execution': 'Execution',
  'type.harassment': 'Harassment',
  'language.en': 'English',
  'language.fa': 'Persian (فارسی)',
  'content.full': 'Full: the names, places and details in the mail',
  'content.minimal': 'Minimal: only “An update on a case you follow” and a link; no names in the mail',

  'home.title': 'Alerts on human-rights cases, by email',
  'home.intro':
    'Vigil receives reports of arrests, releases, court rulings, executions and harassment from human-rights organisations, and sends you an email when a report names a person or an organisation you follow.',
  'home.does.heading': 'What Vigil does',
  'home.does.1':
    'It mails you when a partner reports an incident that names someone you follow, and again when the report is confirmed or retracted.',
  'home.does.2':
    'It recognises a name in Persian or Latin letters, in the spellings partners use, and tells you who reported it.',
  'home.does.3': 'It writes in English or Persian, with dates in both calendars.',
  'home.doesNot.heading': 'What Vigil does not do',
  'home.doesNot.1': 'It does not publish, sell or share your address or your watch list.',
  'home.doesNot.2':
    'It does not check the facts itself: a report is what a partner says until it is confirmed. An alert is no legal advice.',
  'home.doesNot.3': 'It uses no trackers, no analytics and nothing loaded from other sites.',
  'home.stores.heading': 'What Vigil keeps about you',
  'home.stores.body':
    'Your email address and the names you follow, encrypted; the incident types, language and content level you chose; when you subscribed and confirmed; and which alerts were sent to you. Nothing about you is written into the record of incidents.',
  'home.erase.heading': 'How to erase it',
  'home.erase.body':
    'Every alert mail links to your subscription page, where one button erases your address and your watch list at once. A subscription that is never confirmed is erased after 7 days.',
  'home.safety':
    'If others may read your mailbox, choose minimal mails: they name no one, and the details stay behind the link.',

  'subscribe.heading': 'Subscribe',
  'subscribe.email.label': 'Your email address',
  'subscribe.email.hint': 'You will receive a mail with a link to confirm. Nothing is sent before you confirm.',
  'subscribe.persons.label': 'People to follow',
  'subscribe.persons.hint': 'One name per field, in any spelling, in Persian or Latin letters.',
  'subscribe.organizations.label': 'Organisations to follow',
  'subscribe.organizations.hint': 'One name per field.',
  'subscribe.more': 'Add another name',
  'subscribe.types.legend': 'Incident types',
  'subscribe.types.hint': 'Leave all unticked to receive every type.',
  'subscribe.language.legend': 'Language of the mails',
  'subscribe.content.legend': 'What the mails say',
  'subscribe.submit': 'Subscribe',
  'subscribe.errors': 'The subscription was not saved. Please correct:',
  'subscribe.error.email': 'Enter a valid email address.',
  'subscribe.error.watch': 'Enter at least one person or organisation to follow.',
  'subscribe.error.name': 'This name has no letters or digits, or is not a known id.',
  'subscribe.error.other': 'This value is not accepted.',
  'subscribed.title': 'Check your mail',
  'subscribed.body':
    'If this address can receive mail, a message with a confirmation link is on its way. Nothing is sent until you confirm.',
  'subscribed.spam':
    'No mail after a few minutes? Look in the spam folder. At most three confirmation mails go to one address a day.',

  'manage.title': 'Your subscription',
  'manage.status.pending': 'Waiting for your confirmation: open the link in the confirmation mail.',
  'manage.status.active': 'Active: you receive alerts.',
  'manage.status.paused': 'Paused: you receive no alerts until you resume.',
  'manage.status.unsubscribed': 'Ended: this subscription sends nothing more, and your address is erased from it.',
  'manage.since': 'Subscribed on {date}',
  'manage.saved': 'Your changes are saved.',
  'manage.pausedNotice': 'Alerts are paused.',
  'manage.resumedNotice': 'Alerts are on again.',
  'manage.change.heading': 'What you follow and how',
  'manage.save': 'Save changes',
  'manage.pause.heading': 'Pause or stop',
  'manage.pause': 'Pause alerts',
  'manage.resume': 'Resume alerts',
  'manage.unsubscribe': 'Unsubscribe',
  'manage.unsubscribe.hint': 'Stops every alert and erases your address; the names you followed are forgotten.',
  'manage.erase': 'Erase everything',
  'manage.erase.hint':
    'Erases this subscription entirely: your address, your watch list and the record of what was sent to you.',
  'manage.address.heading': 'Another address',
  'manage.address.body':
    'An address is never changed in place. Subscribe again with the new address from the start page (it is confirmed again), then erase this subscription.',
  'manage.recent.heading': 'Latest alerts',
  'manage.recent.none': 'No alert has been sent to this subscription yet.',
  'manage.recent.what': '{type} on {date}',
  'manage.recent.people': 'People',
  'manage.recent.organizations': 'Organisations',
  'manage.recent.where': 'Where',
  'manage.recent.summary': 'Summary',
  'manage.recent.status': 'Status',
  'alertType.incident.recorded': 'Reported',
  'alertType.incident.confirmed': 'Confirmed',
  'alertType.incident.retracted': 'Retracted',
  'erased.title': 'Everything is erased',
  'erased.body':
    'Your subscription, your address, your watch list and the record of the alerts sent to you are erased. This link no longer opens anything.',
} as const;
