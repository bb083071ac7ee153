import { recordDelivered, type OutcomeRecord } from './delivery-outcome';

/** A record whose `delivered` write fails the first `failures` times. */
function flakyRecord(failures: number): OutcomeRecord & { writes: number } {
  const record = {
    writes: 0,
    async delivered() {
      record.writes++;
      if (record.writes <= failures) throw new Error(`write ${record.writes} lost`);
    },
    failed: () => Promise.resolve(),
    handBack: () => Promise.resolve(),
  };
  return record;
}

const retry = { tries: 4, firstWaitMs: 0, maxWaitMs: 0 };

describe('recordDelivered', () => {
  it('retries the write alone until it succeeds, and reports success', async () => {
    const record = flakyRecord(3);
    await expect(recordDelivered(record, 'delivery-1', undefined, retry)).resolves.toBeUndefined();
    expect(record.writes).toBe(4);
  });

  it('gives up after the bounded tries and returns the last error instead of throwing it', async () => {
    const record = flakyRecord(10);
    const error = await recordDelivered(record, 'delivery-1', undefined, retry);
    expect(error?.message).toBe('write 4 lost');
    expect(record.writes).toBe(4);
  });
});
