/**
 * Group commit for small writes: calls that arrive while a batch is being written wait and go together
 * in the next one, so many concurrent callers cost a few statements instead of one each. An idle batcher
 * writes at once (after the current tick, to gather that tick's calls): it adds no latency of its own.
 * `write` gets the batch and answers one result per input, in order; if it throws, every call of that
 * batch rejects with its error.
 */
export class WriteBatcher<In, Out> {
  private queued: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queued.push({ input, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queued.length) {
      const batch = this.queued.splice(0, this.maxBatch);
      try {
        const outs = await this.write(batch.map((call) => call.input));
        batch.forEach((call, i) => call.resolve(outs[i]));
      } catch (error) {
        for (const call of batch) call.reject(error);
      }
    }
    this.writing = false;
  }
}
