import { parsePartialDate } from '@vigil/domain';
import { startTestSmtpServer, type TestSmtpServer } from '../../../../test/support/test-smtp-server';
import { renderAlertMail } from './alert-mail';
import {
  classifySmtpError,
  createMailTransport,
  MailSendError,
  messageIdFor,
  sendMail,
  unsubscribeHeaders,
  type MailTransport,
  type OutgoingMail,
} from './mail-transport';

const UNSUBSCRIBE = 'http://localhost:3000/v1/subscriptions/unsubscribe?token=tok_abc';

function mail(to: string, deliveryId: string): OutgoingMail {
  return {
    from: 'Vigil Alerts <alerts@localhost>',
    to,
    subject: 'Arrest: Sharmin Maymandinejad',
    text: 'Vigil has received a report of an arrest.\n',
    html: '<p>Vigil has received a report of an arrest.</p>',
    messageId: messageIdFor(deliveryId, 'http://localhost:3000'),
    headers: unsubscribeHeaders(UNSUBSCRIBE),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the send succeeded');
}

describe(createMailTransport.name, () => {
  let smtp: TestSmtpServer;
  let transport: MailTransport;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    // Short timeouts: the "server down" case must fail fast, not wait out the production 10 s.
    transport = createMailTransport(smtp.url, { connectionTimeout: 2_000, greetingTimeout: 2_000 });
  });

  afterAll(async () => {
    transport?.close();
    await smtp?.stop();
  });

  it('delivers a text and an HTML part with the subject, addresses, Message-ID and RFC 8058 headers', async () => {
    await sendMail(transport, mail('reader@example.org', 'delivery-1'));
    const [received] = (await smtp.waitForMessages(1)).filter((m) => m.messageId === '<delivery-1@localhost>');
    expect(received.text).toBe('Vigil has received a report of an arrest.\n');
    expect(received.html).toBe('<p>Vigil has received a report of an arrest.</p>');
    expect(received.subject).toBe('Arrest: Sharmin Maymandinejad');
    expect(received.from?.value).toEqual([{ name: 'Vigil Alerts', address: 'alerts@localhost' }]);
    expect(received.to).toMatchObject({ value: [{ address: 'reader@example.org' }] });
    expect(received.envelope.to).toEqual(['reader@example.org']);
    expect(received.headers.get('list-unsubscribe')).toBe(`<${UNSUBSCRIBE}>`);
    expect(received.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  it('carries a rendered alert through the wire unchanged, Persian names and all', async () => {
    const rendered = renderAlertMail({
      alertType: 'incident.confirmed',
      watched: ['شرمین میمندی‌نژاد'],
      unsubscribeUrl: UNSUBSCRIBE,
      incident: {
        id: 'i-1',
        type: 'arrest',
        occurredOn: parsePartialDate('1399-04-01', 'jalali'),
        persons: [{ id: 'p1', name: 'شرمین میمندی‌نژاد' }],
        organizations: [],
        details: { authority: 'security forces' },
        source: { name: 'Iran Human Rights', url: 'https://iranhr.net/', status: 'confirmed' },
        status: 'confirmed',
      },
    });
    await sendMail(transport, { ...mail('reader@example.org', 'delivery-5'), ...rendered });
    const received = smtp.messages.find((m) => m.messageId === '<delivery-5@localhost>');
    expect(received?.subject).toBe('Confirmed — Arrest: شرمین میمندی‌نژاد');
    expect(received?.text).toBe(rendered.text);
    expect(received?.html).toBe(rendered.html);
  });

  it('classifies a 550 rejection of the address as permanent', async () => {
    smtp.rejectRecipients((address) => address === 'gone@example.org');
    try {
      const error = await failureOf(sendMail(transport, mail('gone@example.org', 'delivery-2')));
      expect(error).toBeInstanceOf(MailSendError);
      expect((error as MailSendError).responseCode).toBe(550);
      expect(classifySmtpError(error)).toBe('permanent');
      // The server's reply quotes the address; the error keeps the reply but not the address.
      expect((error as Error).message).toMatch(/550 5\.1\.1 <<address>>: no such mailbox/);
      expect((error as Error).message).not.toContain('gone@example.org');
    } finally {
      smtp.rejectRecipients(null);
    }
  });

  it('classifies a 451 as transient, and the next try goes through', async () => {
    smtp.failNext(1, 451);
    const error = await failureOf(sendMail(transport, mail('reader@example.org', 'delivery-3')));
    expect((error as MailSendError).responseCode).toBe(451);
    expect(classifySmtpError(error)).toBe('transient');
    await sendMail(transport, mail('reader@example.org', 'delivery-3'));
    expect(smtp.messages.filter((m) => m.messageId === '<delivery-3@localhost>')).toHaveLength(1);
  });

  it('classifies a server that is down as transient, and sends again once it is up on the same port', async () => {
    const { port } = smtp;
    await smtp.down();
    const error = await failureOf(sendMail(transport, mail('reader@example.org', 'delivery-4')));
    expect(classifySmtpError(error)).toBe('transient');
    expect((error as MailSendError).message).toMatch(/ECONNREFUSED/);

    await smtp.up();
    expect(smtp.port).toBe(port);
    await sendMail(transport, mail('reader@example.org', 'delivery-4'));
    expect(smtp.messages.filter((m) => m.messageId === '<delivery-4@localhost>')).toHaveLength(1);
  });
});
