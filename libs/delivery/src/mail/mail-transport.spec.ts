import { classifySmtpError, MailSendError, messageIdFor, unsubscribeHeaders } from './mail-transport';

describe(classifySmtpError.name, () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'permanent'],
    [{ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, 'permanent'],
    [{ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }, 'permanent'],
    [{ code: 'EENVELOPE', command: 'API', message: 'Invalid recipient "x"' }, 'permanent'],
    [{ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }, 'transient'],
    [{ code: 'EMESSAGE', responseCode: 421, command: 'DATA' }, 'transient'],
    [{ code: 'EPROTOCOL', responseCode: 503, command: 'RCPT TO' }, 'transient'],
    [{ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'transient'],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, 'transient'],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, 'transient'],
    [{ code: 'ECONNECTION', command: 'CONN' }, 'transient'],
    [new Error('anything else'), 'transient'],
    [undefined, 'transient'],
  ])('classifies %j as %s', (error, expected) => {
    expect(classifySmtpError(error)).toBe(expected);
  });
});

describe(MailSendError.name, () => {
  it('keeps the classification and the reply but no address', () => {
    const error = new MailSendError(
      Object.assign(
        new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <someone@example.org>: no such user"),
        {
          code: 'EENVELOPE',
          responseCode: 550,
          command: 'RCPT TO',
        },
      ),
    );
    expect(error.failure).toBe('permanent');
    expect(classifySmtpError(error)).toBe('permanent');
    expect(error.responseCode).toBe(550);
    expect(error.message).toBe(
      "EENVELOPE RCPT TO: Can't send mail - all recipients were rejected: 550 5.1.1 <<address>>: no such user",
    );
    expect(error.message).not.toContain('someone');
  });
});

describe(messageIdFor.name, () => {
  it('is the delivery id at the host of PUBLIC_BASE_URL', () => {
    expect(messageIdFor('2b8e0c1e-5f1c-4c39-9d8e-0d3f7e0a1b2c', 'https://vigil.example.org:8443/base')).toBe(
      '<2b8e0c1e-5f1c-4c39-9d8e-0d3f7e0a1b2c@vigil.example.org>',
    );
  });
});

describe(unsubscribeHeaders.name, () => {
  it('gives the RFC 8058 one-click pair', () => {
    expect(unsubscribeHeaders('http://localhost:3000/v1/subscriptions/unsubscribe?token=t')).toEqual({
      'List-Unsubscribe': '<http://localhost:3000/v1/subscriptions/unsubscribe?token=t>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
