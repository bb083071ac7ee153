import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { BlindIndex, SecretBox } from './secret-box';

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

describe(`${SecretBox.name} with associated data and rotation`, () => {
  const A = 'a'.repeat(32);
  const B = 'b'.repeat(32);

  it('opens a value only with the associated data it was sealed with', () => {
    const box = new SecretBox(A);
    const sealed = box.seal('someone@example.org', 'row-1');
    expect(box.open(sealed, 'row-1')).toBe('someone@example.org');
    expect(() => box.open(sealed, 'row-2')).toThrow();
    expect(() => box.open(sealed)).toThrow();
  });

  it('still opens the older v1 format, sealed without associated data, and calls it stale', () => {
    const v1 = legacySeal(A, 'whsec_old');
    const box = new SecretBox(B, [A]);
    expect(box.open(v1)).toBe('whsec_old');
    expect(box.isStale(v1)).toBe(true);
  });

  it('opens what the previous key sealed, calls it stale, and seals anew with the current key', () => {
    const sealed = new SecretBox(A).seal('label', 'id');
    const rotated = new SecretBox(B, [A]);
    expect(rotated.open(sealed, 'id')).toBe('label');
    expect(rotated.isStale(sealed)).toBe(true);
    const again = rotated.seal('label', 'id');
    expect(rotated.isStale(again)).toBe(false);
    expect(() => new SecretBox(A).open(again, 'id')).toThrow();
    expect(new SecretBox(B).open(again, 'id')).toBe('label');
  });

  it('tells sealed text from text written in clear', () => {
    expect(SecretBox.isSealed(new SecretBox(A).seal('x'))).toBe(true);
    expect(SecretBox.isSealed('someone@example.org')).toBe(false);
    expect(SecretBox.isSealed('Sharmin Maymandinejad')).toBe(false);
  });
});

describe(BlindIndex.name, () => {
  it('gives equal indexes for equal values, differs from a plain hash, and changes with the key', () => {
    const index = new BlindIndex('a'.repeat(32), ['b'.repeat(32)]);
    expect(index.of('x@example.org')).toEqual(index.of('x@example.org'));
    expect(index.of('x@example.org')).not.toEqual(createHash('sha256').update('x@example.org').digest());
    const [current, previous] = index.all('x@example.org');
    expect(current).toEqual(index.of('x@example.org'));
    expect(previous).toEqual(new BlindIndex('b'.repeat(32)).of('x@example.org'));
    expect(previous).not.toEqual(current);
  });
});

/** The v1 format as SecretBox wrote it before associated data and key ids. */
function legacySeal(material: string, plaintext: string): string {
  const key = Buffer.from(hkdfSync('sha256', material, 'vigil', 'vigil secret box v1', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}
