/** A report id (externalId or Idempotency-Key) came again with different content: nothing is recorded. */
export class ReportIdReusedError extends Error {
  override readonly name = 'ReportIdReusedError';

  constructor(readonly reportId: string) {
    super(`report ${reportId} was already recorded with different content`);
  }
}
