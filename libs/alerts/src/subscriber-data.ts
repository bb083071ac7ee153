import { BlindIndex, SecretBox, type VigilConfig } from '@vigil/platform';

/**
 * How a subscriber's address and watch labels are kept at rest, and opened: the one place that knows
 * (docs/decisions/0012-subscriber-data-sealed-and-erased.md). Both are sealed with AES-256-GCM under
 * SECRETS_KEY, the subscription id as associated data, so a dump shows neither and a sealed value copied
 * onto another row does not open. Addresses are looked up by their blind index, a keyed HMAC of the
 * address as compared (trimmed, lower case), never by a plain hash anyone could compute from a guess.
 * Values written before sealing existed, in clear, are returned as they are until the pass at start
 * (SubscriberDataSealer) seals them.
 */
export class SubscriberData {
  readonly box: SecretBox;
  readonly index: BlindIndex;

  constructor(config: Pick<VigilConfig, 'secretsKey' | 'previousSecretsKeys'>) {
    this.box = new SecretBox(config.secretsKey, config.previousSecretsKeys);
    this.index = new BlindIndex(config.secretsKey, config.previousSecretsKeys);
  }

  sealAddress(subscriptionId: string, email: string): string {
    return this.box.seal(email, subscriptionId);
  }

  openAddress(subscriptionId: string, stored: string): string {
    return this.open(subscriptionId, stored);
  }

  /** The blind index of an address under the current key. */
  addressIndex(email: string): Buffer {
    return this.index.of(comparable(email));
  }

  /** The address's blind index under every key, current first: rows written before a rotation match one. */
  addressIndexes(email: string): Buffer[] {
    return this.index.all(comparable(email));
  }

  sealLabel(subscriptionId: string, label: string): string {
    return this.box.seal(label, subscriptionId);
  }

  openLabel(subscriptionId: string, stored: string): string {
    return this.open(subscriptionId, stored);
  }

  private open(subscriptionId: string, stored: string): string {
    return SecretBox.isSealed(stored) ? this.box.open(stored, subscriptionId) : stored;
  }
}

/** Two spellings of one mailbox count as one address. */
const comparable = (email: string): string => email.trim().toLowerCase();
