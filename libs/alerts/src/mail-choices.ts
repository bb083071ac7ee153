import type { Language } from '@vigil/i18n';

/** The languages an email subscriber may receive mails in: those Vigil has a catalogue for. */
export type MailLanguage = Language;

/**
 * How much a mail may say: `full` names the people, organisations and places; `minimal` says only "An update on a
 * case you follow" and links to the manage page, for a subscriber whose mailbox may be read by others.
 */
export const MAIL_CONTENT_LEVELS = ['full', 'minimal'] as const;
export type MailContent = (typeof MAIL_CONTENT_LEVELS)[number];
