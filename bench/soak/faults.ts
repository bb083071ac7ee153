/** The faults the soak injects, in this order, one at each tick, round and round. */
export const FAULT_KINDS = ['postgres-cut', 'redis-restarted-empty', 'worker-sigkill', 'smtp-down'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRecord {
  kind: FaultKind;
  /** From the start of the measured run (after the warm-up). */
  atMs: number;
  durationMs: number;
}

/** What each fault does: break something, and return once it is whole again (the window's end). */
export type FaultActions = Record<FaultKind, () => Promise<void>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One fault every `everyMs`, the first half a period in, the last one starting before `runMs`; each
 * recorded with its window (absolute performance.now() times in `windows`, for the latency filter).
 */
export async function injectFaults(
  begin: number,
  runMs: number,
  everyMs: number,
  actions: FaultActions,
  onFault: (record: FaultRecord) => void,
): Promise<{ records: FaultRecord[]; windows: [number, number][] }> {
  const records: FaultRecord[] = [];
  const windows: [number, number][] = [];
  for (let k = 0; everyMs * (k + 0.5) < runMs; k++) {
    const at = begin + everyMs * (k + 0.5);
    await sleep(Math.max(0, at - performance.now()));
    const kind = FAULT_KINDS[k % FAULT_KINDS.length];
    const started = performance.now();
    await actions[kind]();
    const ended = performance.now();
    const record = { kind, atMs: Math.round(started - begin), durationMs: Math.round(ended - started) };
    records.push(record);
    windows.push([started, ended]);
    onFault(record);
  }
  return { records, windows };
}

export { sleep };
