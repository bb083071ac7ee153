import { parsePartialDate } from '@vigil/domain';
import { renderAlertMail, renderMinimalAlertMail, type AlertMailInput } from './alert-mail';
import { renderConfirmationMail } from './confirmation-mail';

const MANAGE = 'https://vigil.example.org/manage?token=abc&lang=fa';
const UNSUBSCRIBE = 'https://vigil.example.org/v1/subscriptions/unsubscribe?token=abc&lang=fa';

const input: AlertMailInput = {
  alertType: 'incident.recorded',
  watched: ['شرمین میمندی‌نژاد'],
  unsubscribeUrl: UNSUBSCRIBE,
  manageUrl: MANAGE,
  language: 'fa',
  incident: {
    id: '6f1c2a1e-0000-4000-8000-000000000001',
    type: 'arrest',
    occurredOn: parsePartialDate('2020-06-21'),
    persons: [{ id: 'p1', name: 'شرمین میمندی‌نژاد' }],
    organizations: [{ id: 'o1', name: 'Imam Ali Popular Student Relief Society' }],
    location: 'Tehran',
    details: { authority: 'security forces', facility: 'Evin Prison' },
    summary: 'Arrested at home.',
    source: { name: 'Iran Human Rights', status: 'confirmed' },
    status: 'recorded',
  },
};

describe('alert mails in Persian', () => {
  it('writes the whole mail in Persian, right to left, with the Solar Hijri date first and Persian digits', () => {
    const mail = renderAlertMail(input);
    expect(mail.subject).toBe('بازداشت: شرمین میمندی‌نژاد');
    expect(mail.html).toContain('<html lang="fa" dir="rtl">');
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.text).toContain('کی: ۱ تیر ۱۳۹۹ (۲۱ ژوئن ۲۰۲۰)');
    expect(mail.text).toContain('گزارشی از یک بازداشت به ویجیل رسیده است.');
    expect(mail.text).toContain('بازداشت‌کننده: security forces');
    expect(mail.text).toContain(MANAGE);
    expect(mail.html).toContain('text-align:right');
  });

  it('links every full mail, in English too, to the manage page', () => {
    const mail = renderAlertMail({ ...input, language: 'en', manageUrl: MANAGE.replace('fa', 'en') });
    expect(mail.text.replace(/\s+/g, ' ')).toContain(
      'Change, pause or erase your subscription <https://vigil.example.org/manage?token=abc&lang=en>',
    );
    expect(mail.text).toContain('When: 21 June 2020 (1 Tir 1399)');
  });

  it('joins names the Persian way', () => {
    const mail = renderAlertMail({ ...input, watched: ['الف', 'ب', 'ج'] });
    expect(mail.subject).toBe('بازداشت: الف، ب و ج');
  });

  it('writes the confirmation mail in the language chosen', () => {
    const mail = renderConfirmationMail({
      confirmUrl: 'https://vigil.example.org/v1/subscriptions/confirm?token=x&lang=fa',
      watch: { persons: ['شرمین'], organizations: [] },
      types: ['arrest'],
      language: 'fa',
    });
    expect(mail.subject).toBe('هشدارهای ویجیل را تأیید کنید');
    expect(mail.html).toContain('<html lang="fa" dir="rtl">');
    expect(mail.text).toContain('رویدادها: فقط بازداشت‌ها');
  });
});

describe('minimal alert mails', () => {
  it.each(['en', 'fa'] as const)(
    'name no person, organisation or place, and link to the manage page (%s)',
    (language) => {
      const mail = renderMinimalAlertMail({ manageUrl: MANAGE, unsubscribeUrl: UNSUBSCRIBE, language });
      const everything = `${mail.subject}\n${mail.text}\n${mail.html}`;
      for (const name of ['شرمین', 'Imam Ali', 'Tehran', 'Evin', 'Arrest', 'بازداشت', 'security forces']) {
        expect(everything).not.toContain(name);
      }
      expect(mail.text).toContain(MANAGE);
      expect(mail.subject).toBe(
        language === 'en' ? 'An update on a case you follow' : 'خبری تازه دربارهٔ پرونده‌ای که دنبال می‌کنید',
      );
    },
  );
});
