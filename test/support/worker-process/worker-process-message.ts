/** What a worker process tells its parent over IPC. */
export type WorkerProcessMessage =
  /** `port`: its health and metrics server (WORKER_PORT, a free one here); `consumers`: the names of those it runs. */
  | { type: 'started'; pid: number; port: number; consumers: string[] }
  /** It received SIGTERM and is closing: taking no new job, finishing or handing back those in hand. */
  | { type: 'stopping'; pid: number }
  | { type: 'error'; pid: number; message: string };
