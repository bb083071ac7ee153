import { parsePartialDate } from '@vigil/domain';
import { renderAlertMail, type AlertMailInput } from './alert-mail';

const UNSUBSCRIBE = 'http://localhost:3000/v1/subscriptions/unsubscribe?token=abc123';

function input(
  overrides: Partial<AlertMailInput> = {},
  incident: Partial<AlertMailInput['incident']> = {},
): AlertMailInput {
  return {
    alertType: 'incident.recorded',
    watched: ['Sharmin Maymandinejad'],
    unsubscribeUrl: UNSUBSCRIBE,
    ...overrides,
    incident: {
      id: '6f1c2a1e-0000-4000-8000-000000000001',
      type: 'arrest',
      occurredOn: parsePartialDate('2020-06-21'),
      persons: [{ id: 'p1', name: 'Sharmin Maymandinejad' }],
      organizations: [{ id: 'o1', name: 'Imam Ali Popular Student Relief Society' }],
      location: 'Tehran',
      details: { authority: 'security forces' },
      summary: 'Founder, compliance officer and head of public relations arrested; headquarters closed.',
      source: { name: 'Iran Human Rights', url: 'https://iranhr.net/', status: 'confirmed' },
      status: 'recorded',
      ...incident,
    },
  };
}

/** What a reader of the HTML part sees: tags dropped, entities decoded, white space collapsed. */
function visible(html: string): string {
  return html
    .replace(/<head>[\s\S]*<\/head>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ');
}

const flat = (text: string) => text.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ');

describe(renderAlertMail.name, () => {
  describe('subject', () => {
    it('names the incident type and the watched person', () => {
      expect(renderAlertMail(input()).subject).toBe('Arrest: Sharmin Maymandinejad');
    });

    it('says when the alert is a confirmation or a retraction', () => {
      expect(renderAlertMail(input({ alertType: 'incident.confirmed' })).subject).toBe(
        'Confirmed — Arrest: Sharmin Maymandinejad',
      );
      expect(renderAlertMail(input({ alertType: 'incident.retracted' })).subject).toBe(
        'Retracted — Arrest: Sharmin Maymandinejad',
      );
    });

    it('names the watched organisation when the alert reached it through a member', () => {
      const mail = renderAlertMail(input({ watched: ['Imam Ali Popular Student Relief Society'] }, { type: 'ruling' }));
      expect(mail.subject).toBe('Court ruling: Imam Ali Popular Student Relief Society');
    });

    it('names everyone the incident names when it is not told who matched', () => {
      expect(renderAlertMail(input({ watched: [] })).subject).toBe(
        'Arrest: Sharmin Maymandinejad and Imam Ali Popular Student Relief Society',
      );
    });

    it('joins two or three names in plain English', () => {
      expect(renderAlertMail(input({ watched: ['A. One', 'B. Two'] })).subject).toBe('Arrest: A. One and B. Two');
      expect(renderAlertMail(input({ watched: ['A. One', 'B. Two', 'C. Three'] })).subject).toBe(
        'Arrest: A. One, B. Two and C. Three',
      );
    });

    it('shows as many names as fit in 120 characters and counts the rest', () => {
      const watched = Array.from({ length: 12 }, (_, index) => `Person Number ${index + 1} Longname`);
      const { subject } = renderAlertMail(input({ watched }));
      expect(subject.length).toBeLessThanOrEqual(120);
      expect(subject).toMatch(/^Arrest: Person Number 1 Longname, Person Number 2 Longname, .* and \d+ more$/);
      const shown = subject.split(', ').length;
      expect(subject.endsWith(` and ${12 - shown} more`)).toBe(true);
    });

    it('shortens a single name too long for the subject', () => {
      const { subject } = renderAlertMail(input({ watched: ['X'.repeat(300), 'Other'] }));
      expect(subject.length).toBeLessThanOrEqual(120);
      expect(subject).toMatch(/^Arrest: X+… and 1 more$/);
    });

    it('keeps a partner name on one line, so it cannot add mail headers', () => {
      const { subject } = renderAlertMail(input({ watched: ['Evil\r\nBcc: victim@example.org'] }));
      expect(subject).toBe('Arrest: Evil Bcc: victim@example.org');
    });
  });

  describe('date', () => {
    const when = (date: ReturnType<typeof parsePartialDate>) => renderAlertMail(input({}, { occurredOn: date }));

    it.each([
      ['2020-06-21', '21 June 2020'],
      ['2020-06', 'June 2020'],
      ['2020', '2020'],
    ])('shows %s at its own precision as "%s"', (text, words) => {
      const mail = when(parsePartialDate(text));
      expect(mail.text).toContain(`When: ${words}\n`);
      expect(visible(mail.html)).toContain(`When ${words} `);
    });

    it('shows a Jalali day with the Solar Hijri date as reported', () => {
      const mail = when(parsePartialDate('1399-04-01', 'jalali'));
      expect(flat(mail.text)).toContain('When: 21 June 2020 (1399-04-01 in the Solar Hijri calendar)');
      expect(visible(mail.html)).toContain('21 June 2020 (1399-04-01 in the Solar Hijri calendar)');
    });

    it('shows a Jalali month as the Gregorian days it spans, not as a Gregorian month', () => {
      const mail = when(parsePartialDate('1399-04', 'jalali'));
      expect(flat(mail.text)).toContain('When: 21 June – 21 July 2020 (1399-04 in the Solar Hijri calendar)');
    });

    it('shows a day without a year as such, with no Solar Hijri equivalent', () => {
      const mail = when(parsePartialDate('--06-11'));
      expect(mail.text).toContain('When: 11 June, year unknown\n');
      expect(visible(mail.html)).toContain('When 11 June, year unknown ');
      expect(mail.text).not.toContain('Solar Hijri');
    });

    it('says when old news is newly documented, and nothing of the kind otherwise', () => {
      const old = renderAlertMail(input({}, { newlyDocumented: true }));
      expect(flat(old.text)).toContain('Newly documented: this happened on 21 June 2020, more than 30 days before');
      expect(visible(old.html)).toContain('Newly documented: this happened on 21 June 2020');
      expect(renderAlertMail(input()).text).not.toContain('ewly documented');
    });

    it('writes both years of a Jalali period across New Year', () => {
      expect(flat(when(parsePartialDate('1399-10', 'jalali')).text)).toContain(
        'When: 21 December 2020 – 19 January 2021 (1399-10 in the Solar Hijri calendar)',
      );
      expect(flat(when(parsePartialDate('1399', 'jalali')).text)).toContain(
        'When: 20 March 2020 – 20 March 2021 (1399 in the Solar Hijri calendar)',
      );
    });
  });

  describe('details', () => {
    const details = (type: AlertMailInput['incident']['type'], value: Record<string, unknown>) =>
      flat(renderAlertMail(input({}, { type, details: value })).text);

    it('gives the authority and the facility of an arrest', () => {
      const text = details('arrest', { authority: 'IRGC intelligence', facility: 'Evin Prison' });
      expect(text).toContain('Arrested by: IRGC intelligence');
      expect(text).toContain('Held at: Evin Prison');
    });

    it('gives the conditions of a release', () => {
      expect(details('release', { conditions: 'bail of 5 billion rials' })).toContain(
        'Conditions: bail of 5 billion rials',
      );
    });

    it('gives the court, branch, judge, outcome and sentence of a ruling', () => {
      const text = details('ruling', {
        court: 'Revolutionary Court of Tehran',
        branch: '15',
        judge: 'Abolqasem Salavati',
        outcome: 'sentence',
        sentence: '6 years in prison',
      });
      expect(text).toContain('What: Court ruling');
      expect(text).toContain('Court: Revolutionary Court of Tehran');
      expect(text).toContain('Branch: 15');
      expect(text).toContain('Judge: Abolqasem Salavati');
      expect(text).toContain('Outcome: Sentenced');
      expect(text).toContain('Sentence: 6 years in prison');
    });

    it.each([
      ['acquittal', 'Acquitted'],
      ['dissolution', 'Organisation dissolved'],
    ])('says a %s ruling in words', (outcome, words) => {
      expect(details('ruling', { court: 'Court', outcome })).toContain(`Outcome: ${words}`);
    });

    it('gives the place and every charge of an execution', () => {
      const text = details('execution', {
        facility: 'Ghezel Hesar Prison',
        charges: ['moharebeh', 'drug offences, trafficking'],
      });
      expect(text).toContain('Place: Ghezel Hesar Prison');
      expect(text).toContain('Charges: moharebeh; drug offences, trafficking');
    });

    it.each([
      ['digital_attack', 'Digital attack'],
      ['raid', 'Raid'],
      ['closure', 'Closure'],
      ['summons', 'Summons'],
      ['threat', 'Threat'],
      ['other', 'Other harassment'],
    ])('says the harassment kind %s in words', (kind, words) => {
      expect(details('harassment', { kind })).toContain(`Kind: ${words}`);
    });

    it('leaves out details that are absent or not text', () => {
      const text = details('arrest', { authority: '', facility: { $gt: 1 } });
      expect(text).not.toContain('Arrested by');
      expect(text).not.toContain('Held at');
    });
  });

  describe('source and status', () => {
    it('says a recorded incident is unconfirmed when neither Vigil nor its source has confirmed it', () => {
      const mail = renderAlertMail(input({}, { source: { name: 'Hengaw', status: 'unconfirmed' } }));
      expect(mail.text).toContain('Source: Hengaw\nStatus: Unconfirmed\n');
    });

    it("tells the source's own confirmation from Vigil's", () => {
      expect(flat(renderAlertMail(input()).text)).toContain(
        'Status: Not yet confirmed by Vigil; the source reports it as confirmed',
      );
      const confirmed = renderAlertMail(input({ alertType: 'incident.confirmed' }, { status: 'confirmed' }));
      expect(confirmed.text).toContain('Status: Confirmed\n');
    });

    it('says confirmed in a confirmation alert even if its payload was taken before the confirmation', () => {
      expect(renderAlertMail(input({ alertType: 'incident.confirmed' })).text).toContain('Status: Confirmed\n');
    });

    it('links the source in both parts', () => {
      const mail = renderAlertMail(input());
      expect(mail.text).toContain('Source: Iran Human Rights <https://iranhr.net/>');
      expect(mail.html).toContain(
        '<a href="https://iranhr.net/" style="color:#1a4fb4;"><span dir="auto">Iran Human Rights</span></a>',
      );
    });

    it('does not link a source URL that is not http(s)', () => {
      const mail = renderAlertMail(
        input({}, { source: { name: 'X', url: 'javascript:alert(1)', status: 'confirmed' } }),
      );
      expect(mail.html).not.toContain('javascript:');
      expect(mail.text).not.toContain('javascript:');
    });
  });

  describe('verification', () => {
    const ihr = { id: 'ihr', name: 'Iran Human Rights', kind: 'hr_ngo' as const, url: 'https://iranhr.net/' };
    const hengaw = { id: 'hengaw', name: 'Hengaw', kind: 'hr_ngo' as const, url: null };

    it('names the alert type in the subject', () => {
      expect(renderAlertMail(input({ alertType: 'incident.corroborated' })).subject).toBe(
        'Corroborated — Arrest: Sharmin Maymandinejad',
      );
      expect(renderAlertMail(input({ alertType: 'incident.disputed' })).subject).toBe(
        'Disputed — Arrest: Sharmin Maymandinejad',
      );
    });

    it('says how established the incident is and names every source, linked, in both parts', () => {
      const mail = renderAlertMail(
        input({ alertType: 'incident.corroborated' }, { verification: 'corroborated', sources: [ihr, hengaw] }),
      );
      expect(flat(mail.text)).toContain('Verification: corroborated by 2 independent sources');
      expect(flat(mail.text)).toContain('Sources: Iran Human Rights <https://iranhr.net/>; Hengaw');
      expect(visible(mail.html)).toContain('Verification corroborated by 2 independent sources');
      expect(visible(mail.html)).toContain('Sources Iran Human Rights ; Hengaw');
      expect(mail.html).toContain('href="https://iranhr.net/"');
      expect(flat(mail.text)).toContain('Another source now reports the arrest that Vigil alerted you about.');
    });

    it('says one source as one, and what a dispute is about', () => {
      expect(flat(renderAlertMail(input({}, { verification: 'reported', sources: [ihr] })).text)).toContain(
        'Verification: reported by one source Source: Iran Human Rights',
      );
      const disputed = renderAlertMail(
        input(
          { alertType: 'incident.disputed' },
          { verification: 'disputed', sources: [ihr, hengaw], conflicts: [{ field: 'occurredOn' }] },
        ),
      );
      expect(flat(disputed.text)).toContain('Verification: disputed: sources disagree on the date');
      expect(flat(disputed.text)).toContain(
        'Sources disagree on the report of an arrest that Vigil alerted you about.',
      );
    });

    it('says when a state source reported it, as attribution and not proof', () => {
      const irna = { id: 'irna', name: 'IRNA', kind: 'state_media' as const, url: null };
      const mail = renderAlertMail(
        input({}, { verification: 'corroborated', sources: [ihr, irna], officiallyAcknowledged: true }),
      );
      expect(flat(mail.text)).toContain(
        'Acknowledged: a state body or state media reported it (attribution, not proof)',
      );
    });

    it('keeps the single source row of an alert routed before incidents had sources', () => {
      const mail = renderAlertMail(input());
      expect(mail.text).not.toContain('Verification');
      expect(mail.text).toContain('Source: Iran Human Rights <https://iranhr.net/>');
    });
  });

  describe('retraction', () => {
    it('gives the reason and says not to rely on the report', () => {
      const mail = renderAlertMail(
        input(
          { alertType: 'incident.retracted' },
          { status: 'retracted', retractionReason: 'The source withdrew its report.' },
        ),
      );
      expect(mail.text).toContain('Why it was retracted:\nThe source withdrew its report.');
      expect(visible(mail.html)).toContain('Why it was retracted The source withdrew its report.');
      expect(flat(mail.text)).toContain('has been retracted: do not rely on it.');
      expect(mail.text).toContain('Status: Retracted\n');
    });

    it('says nothing of a retraction in a recorded alert', () => {
      const mail = renderAlertMail(input({}, { retractionReason: 'stale' }));
      expect(mail.text).not.toContain('retracted');
      expect(mail.text).not.toContain('stale');
    });
  });

  describe('escaping', () => {
    const hostile = '<script>alert("x")</script> & "quoted" \'single\'';

    it('escapes every partner value in the HTML part', () => {
      const mail = renderAlertMail(
        input(
          { watched: [hostile] },
          {
            persons: [{ id: 'p1', name: hostile }],
            organizations: [{ id: 'o1', name: hostile }],
            location: hostile,
            details: { authority: hostile, facility: hostile },
            summary: hostile,
            source: { name: hostile, url: 'https://example.org/?a=1&b="2"', status: 'unconfirmed' },
          },
        ),
      );
      expect(mail.html).not.toContain('<script');
      expect(mail.html).not.toMatch(/"quoted"|'single'/);
      expect(mail.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#34;quoted&#34;');
      expect(mail.html).toContain('href="https://example.org/?a=1&#38;b=%222%22"');
      expect(visible(mail.html).split(hostile).length - 1).toBeGreaterThanOrEqual(7);
    });

    it('keeps the text part as the partner wrote it', () => {
      const mail = renderAlertMail(input({}, { summary: hostile }));
      expect(flat(mail.text)).toContain(hostile);
    });

    it('strips bidi overrides that could disguise a name', () => {
      const mail = renderAlertMail(input({ watched: ['Ali\u202Egnp.exe'] }));
      expect(mail.subject).toBe('Arrest: Alignp.exe');
    });
  });

  describe('Persian and Arabic text', () => {
    it('marks partner text with its own direction and language in the HTML part', () => {
      const name = 'شرمین میمندی‌نژاد';
      const mail = renderAlertMail(
        input({ watched: [name] }, { persons: [{ id: 'p1', name }], summary: 'بازداشت شد' }),
      );
      expect(mail.html).toContain(`<span dir="auto" lang="fa">${name}</span>`);
      expect(mail.html).toContain('<p dir="auto" lang="und-Arab" style="margin:0 0 16px;">بازداشت شد</p>');
      expect(mail.html).toMatch(/^<html lang="en" dir="ltr">$/m);
      // The zero-width non-joiner belongs to the spelling and must survive cleaning.
      expect(mail.subject).toBe(`Arrest: ${name}`);
    });

    it('isolates right-to-left names in the text part', () => {
      const mail = renderAlertMail(input({ watched: ['میمندی', 'Ali'] }));
      expect(mail.text.replace(/\s+/g, ' ')).toContain('It concerns \u2068میمندی\u2069 and Ali, on your watch list.');
    });
  });

  describe('both parts', () => {
    it('carry the same facts', () => {
      const mail = renderAlertMail(
        input({ alertType: 'incident.retracted' }, { status: 'retracted', retractionReason: 'Wrong person.' }),
      );
      const facts = [
        'Retracted — Arrest: Sharmin Maymandinejad',
        'What',
        'Arrest',
        'Sharmin Maymandinejad',
        'Imam Ali Popular Student Relief Society',
        '21 June 2020',
        'Tehran',
        'Arrested by',
        'security forces',
        'Founder, compliance officer and head of public relations arrested; headquarters closed.',
        'Iran Human Rights',
        'https://iranhr.net/',
        'Retracted',
        'Wrong person.',
        UNSUBSCRIBE,
        '6f1c2a1e-0000-4000-8000-000000000001',
      ];
      const html = visible(mail.html) + mail.html; // link targets are attributes
      for (const fact of facts) {
        expect(flat(mail.text)).toContain(fact);
        expect(html).toContain(fact);
      }
    });

    it('carry every row of the text part in the HTML part', () => {
      const mail = renderAlertMail(
        input({}, { type: 'ruling', details: { court: 'Court 1', outcome: 'sentence', sentence: 'ten years' } }),
      );
      // "Label: value" lines of the text part, with their indented continuation lines.
      const body = mail.text.slice(mail.text.indexOf('=\n'), mail.text.indexOf('\n-- \n'));
      const rows = [...body.matchAll(/^([A-Z][a-z]+(?: [a-z]+)*): (.+(?:\n {2}.+)*)$/gm)].map(
        ([, label, value]) => `${label} ${flat(value)}`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(10);
      for (const row of rows) expect(visible(mail.html)).toContain(row.replace(/ <(https?:[^>]+)>/g, ''));
    });

    it('end with the unsubscribe link', () => {
      const mail = renderAlertMail(input());
      const footer = mail.text.slice(mail.text.indexOf('\n-- \n'));
      expect(flat(footer)).toContain(`Unsubscribe from these alerts <${UNSUBSCRIBE}>`);
      expect(mail.html).toContain(`<a href="${UNSUBSCRIBE}" style="color:#1a4fb4;">Unsubscribe from these alerts</a>`);
    });

    it('wrap the text part at 72 characters, leaving only a long link on a longer line', () => {
      const mail = renderAlertMail(
        input({ unsubscribeUrl: `${UNSUBSCRIBE}${'x'.repeat(80)}` }, { summary: 'word '.repeat(100) }),
      );
      const lines = mail.text.split('\n');
      expect(lines.filter((line) => line.startsWith('word')).length).toBeGreaterThan(5);
      const long = lines.filter((line) => line.length > 72);
      expect(long).toEqual([`<${UNSUBSCRIBE}${'x'.repeat(80)}>`]);
    });
  });
});
