import { renderConfirmationMail } from './confirmation-mail';

const CONFIRM = 'http://localhost:3000/v1/subscriptions/confirm?token=tok_123';

const render = (overrides: Partial<Parameters<typeof renderConfirmationMail>[0]> = {}) =>
  renderConfirmationMail({
    confirmUrl: CONFIRM,
    watch: { persons: ['Sharmin Meymandinejad'], organizations: ['IAPSRS'] },
    ...overrides,
  });

describe(renderConfirmationMail.name, () => {
  it('asks to confirm in a subject that carries none of the requester’s words', () => {
    expect(render({ watch: { persons: ['Buy pills at spam.example'], organizations: [] } }).subject).toBe(
      'Confirm your Vigil alerts',
    );
  });

  it('lists what the subscription watches in both parts', () => {
    const mail = render();
    expect(mail.text).toContain('People: Sharmin Meymandinejad\nOrganisations: IAPSRS\n');
    expect(mail.html).toContain('<th scope="row"');
    expect(mail.html).toMatch(/People<\/th><td[^>]*><span dir="auto">Sharmin Meymandinejad<\/span>/);
    expect(mail.html).toMatch(/Organisations<\/th><td[^>]*><span dir="auto">IAPSRS<\/span>/);
  });

  it('leaves out an empty watch list', () => {
    const mail = render({ watch: { persons: [], organizations: ['IAPSRS'] } });
    expect(mail.text).not.toContain('People:');
    expect(mail.html).not.toContain('People');
  });

  it('says which incident types the subscription is limited to', () => {
    expect(render({ types: ['arrest', 'ruling', 'arrest'] }).text).toContain(
      'Incidents: Arrests and court rulings only\n',
    );
    expect(render({ types: ['harassment'] }).text).toContain('Incidents: Harassment only\n');
  });

  it('says every type is watched when none is chosen', () => {
    expect(render().text.replace(/\s+/g, ' ')).toContain(
      'Incidents: Arrests, releases, court rulings, executions and harassment (every kind)',
    );
  });

  it('says nothing is sent without confirmation, and gives the link in both parts', () => {
    const mail = render();
    expect(mail.text).toContain('Nothing will be sent to this address unless you confirm.');
    expect(mail.text).toContain(`Confirm my subscription:\n${CONFIRM}\n`);
    expect(mail.html).toContain('Nothing will be sent to this address unless you confirm.');
    expect(mail.html).toContain(`<a href="${CONFIRM}"`);
    expect(mail.text).toContain('If you did not ask for this, ignore this mail');
  });

  it('escapes the names the requester typed', () => {
    const mail = render({
      watch: { persons: ['<img src=x onerror="alert(1)">'], organizations: ['A & B'] },
      types: ['<b>'],
    });
    expect(mail.html).not.toMatch(/<img|<b>/);
    expect(mail.html).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
    expect(mail.html).toContain('A &#38; B');
    expect(mail.text).toContain('People: <img src=x onerror="alert(1)">');
  });
});
