import { randomUUID } from 'node:crypto';
import { createMailTransport, sendMail } from '@vigil/delivery';

/**
 * The mail ceiling: `count` mails through nodemailer's pooled transport (as the worker builds it), straight to
 * the server, all at once; resolves with the seconds until the server accepted the last one.
 */
export async function rawMailSeconds(
  smtp: { url: string; accepted: () => number; reset: () => void },
  from: string,
  count: number,
): Promise<number> {
  smtp.reset();
  const transport = createMailTransport(smtp.url);
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        sendMail(transport, {
          from,
          to: `raw${i}@example.org`,
          subject: 'Arrest: a fictional person',
          text: 'An arrest was reported.',
          html: '<p>An arrest was reported.</p>',
          messageId: `<${randomUUID()}@localhost>`,
        }),
      ),
    );
    while (smtp.accepted() < count) await new Promise((resolve) => setTimeout(resolve, 5));
    return (performance.now() - started) / 1000;
  } finally {
    transport.close();
  }
}
