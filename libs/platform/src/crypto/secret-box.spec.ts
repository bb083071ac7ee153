import { SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const box = new SecretBox('k'.repeat(32));

  it('opens what it sealed, and seals the same text differently each time', () => {
    const a = box.seal('whsec_secret');
    const b = box.seal('whsec_secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_secret');
    expect([box.open(a), box.open(b)]).toEqual(['whsec_secret', 'whsec_secret']);
  });

  it('refuses a box sealed with another key or tampered with', () => {
    const sealed = box.seal('token');
    expect(() => new SecretBox('x'.repeat(32)).open(sealed)).toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered)).toThrow();
    expect(() => box.open('v0.abc')).toThrow('not a sealed secret');
  });
});
