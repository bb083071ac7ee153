/** What a worker process tells its parent over IPC. */
export type WorkerProcessMessage =
  | { type: 'started'; pid: number }
  /** It received SIGTERM and is closing: taking no new job, finishing or handing back those in hand. */
  | { type: 'stopping'; pid: number }
  | { type: 'error'; pid: number; message: string };
