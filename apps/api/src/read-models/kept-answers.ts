/** How many answers KeptAnswers holds, and which. */
export interface KeptAnswersLimits {
  /** The most bytes of answers held at once; the least recently used go first. 0 keeps nothing. */
  maxBytes: number;
  /** Answers smaller than this are not kept: they cost less to render again than to hold. */
  minBytes: number;
  /** An answer not asked for in this long is let go, so that an old one does not stay in memory for good. */
  maxIdleMs: number;
}

interface Kept {
  stamp: string;
  bytes: Buffer;
  usedAt: number;
}

/**
 * Answers already written (JSON bytes), each with the stamp of the read models it was read from
 * (readModelsStamp): an answer is given again only while the stamp is the same, so it is never older than what a
 * new read would give. Bounded by bytes, least recently used first; pure, so that its rules are tested alone
 * (docs/decisions/0037-large-views-kept-until-the-read-models-move.md).
 */
export class KeptAnswers {
  /** In order of use, the least recent first (a Map keeps its insertion order). */
  private readonly answers = new Map<string, Kept>();
  private bytes = 0;

  constructor(
    private readonly limits: KeptAnswersLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** The stamp of the answer kept under `key`, if one is and it has not been idle too long. */
  stampOf(key: string): string | undefined {
    const kept = this.answers.get(key);
    if (kept && this.now() - kept.usedAt > this.limits.maxIdleMs) this.drop(key);
    return this.answers.get(key)?.stamp;
  }

  /** The answer kept under `key` if it was read at `stamp`; an answer read at another stamp is let go. */
  take(key: string, stamp: string): Buffer | undefined {
    const kept = this.answers.get(key);
    if (!kept) return undefined;
    if (kept.stamp !== stamp) {
      this.drop(key);
      return undefined;
    }
    this.answers.delete(key);
    this.answers.set(key, { ...kept, usedAt: this.now() });
    return kept.bytes;
  }

  /** Keeps `bytes`, read at `stamp`, under `key` if it is large enough and fits; makes room by the least recent. */
  keep(key: string, stamp: string, bytes: Buffer): void {
    this.drop(key);
    if (bytes.length < this.limits.minBytes || bytes.length > this.limits.maxBytes) return;
    this.dropIdle();
    for (const oldest of this.answers.keys()) {
      if (this.bytes + bytes.length <= this.limits.maxBytes) break;
      this.drop(oldest);
    }
    this.answers.set(key, { stamp, bytes, usedAt: this.now() });
    this.bytes += bytes.length;
  }

  /** The bytes of the answers held. */
  get size(): number {
    return this.bytes;
  }

  private dropIdle(): void {
    const since = this.now() - this.limits.maxIdleMs;
    for (const [key, kept] of this.answers) {
      if (kept.usedAt >= since) break;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const kept = this.answers.get(key);
    if (!kept) return;
    this.answers.delete(key);
    this.bytes -= kept.bytes.length;
  }
}
