import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sealed values read `v2.<key id>.<iv, tag, ciphertext in base64url>`. The key id (8 hex of an HMAC of
 * the key) tells which key sealed a value, so a rotation finds what is left to seal again with a
 * `LIKE` (staleSealPattern). `v1.<body>` values came before: no key id, no associated data.
 */
const VERSION = 'v2';
const LEGACY = 'v1';
const SEALED = /^v[12]\.[A-Za-z0-9_.-]+$/;

interface Key {
  id: string;
  key: Buffer;
}

function deriveKey(material: string): Key {
  const key = Buffer.from(hkdfSync('sha256', material, 'vigil', 'vigil secret box v1', 32));
  return { key, id: createHmac('sha256', key).update('key id').digest('hex').slice(0, 8) };
}

/**
 * AES-256-GCM for what must be read back but not lie in clear in a dump: webhook and source secrets,
 * unsubscribe tokens, subscriber addresses and watch labels. `associatedData` (e.g. the row id) binds a
 * sealed value to its row, so it cannot be copied onto another row and opened there. The key is derived
 * from SECRETS_KEY; values sealed under a previous key (SECRETS_KEY_PREVIOUS) still open, and
 * `isStale` says they should be sealed again (docs/decisions/0012-subscriber-data-sealed-and-erased.md).
 */
export class SecretBox {
  private readonly current: Key;
  private readonly previous: Key[];

  constructor(keyMaterial: string, previousKeyMaterial: readonly string[] = []) {
    this.current = deriveKey(keyMaterial);
    this.previous = previousKeyMaterial.map(deriveKey);
  }

  /** True for the text of a sealed value; false for anything a person could have written in clear. */
  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${this.current.id}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  open(box: string, associatedData = ''): string {
    const parts = box.split('.');
    if (parts[0] === LEGACY && parts.length === 2) {
      // A v1 value has no key id and no associated data: try each key.
      return this.openWithAny([this.current, ...this.previous], parts[1], '');
    }
    if (parts[0] !== VERSION || parts.length !== 3) throw new Error('not a sealed secret');
    const key = [this.current, ...this.previous].find(({ id }) => id === parts[1]);
    if (!key) throw new Error('sealed with a key this process does not have');
    return this.openWith(key, parts[2], associatedData);
  }

  /**
   * Sealed with a previous key, or in the older format: to be sealed again with the current key. The rule
   * is the prefix of currentSealPattern, which the re-seal statements use in SQL.
   */
  isStale(box: string): boolean {
    return !box.startsWith(this.currentPrefix);
  }

  /** A LIKE pattern matching every value sealed with the current key; whatever does not match is stale. */
  get currentSealPattern(): string {
    return `${this.currentPrefix}%`;
  }

  private get currentPrefix(): string {
    return `${VERSION}.${this.current.id}.`;
  }

  private openWithAny(keys: Key[], body: string, associatedData: string): string {
    let failure: unknown;
    for (const key of keys) {
      try {
        return this.openWith(key, body, associatedData);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  private openWith({ key }: Key, body: string, associatedData: string): string {
    const raw = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/**
 * A keyed HMAC for looking up what is sealed (a blind index): equal inputs give equal indexes, and
 * without SECRETS_KEY nobody can compute one to test a guessed address against a dump. Its key is
 * derived apart from the sealing key. `all` gives the index under every key, current first, to find
 * rows written before a rotation.
 */
export class BlindIndex {
  private readonly keys: Buffer[];

  constructor(keyMaterial: string, previousKeyMaterial: readonly string[] = []) {
    this.keys = [keyMaterial, ...previousKeyMaterial].map((material) =>
      Buffer.from(hkdfSync('sha256', material, 'vigil', 'vigil blind index v1', 32)),
    );
  }

  of(value: string): Buffer {
    return createHmac('sha256', this.keys[0]).update(value).digest();
  }

  all(value: string): Buffer[] {
    return this.keys.map((key) => createHmac('sha256', key).update(value).digest());
  }
}
