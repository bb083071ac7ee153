import type { ReceivedMail, TestSmtpServer } from './test-smtp-server';

/** The mails the test SMTP server accepted for an address (by envelope, in any case), oldest first. */
export function mailsTo(smtp: Pick<TestSmtpServer, 'messages'>, address: string): ReceivedMail[] {
  const wanted = address.toLowerCase();
  return smtp.messages.filter((mail) => mail.envelope.to.some((to) => to.toLowerCase() === wanted));
}

/** The alerts among them: an alert mail has List-Unsubscribe headers, a confirmation mail has none. */
export function alertMailsTo(smtp: Pick<TestSmtpServer, 'messages'>, address: string): ReceivedMail[] {
  return mailsTo(smtp, address).filter((mail) => mail.headers.has('list-unsubscribe'));
}
