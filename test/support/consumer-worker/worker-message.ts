/** What a consumer worker tells its parent over IPC. */
export type WorkerMessage =
  | { type: 'started'; pid: number }
  | { type: 'leader'; pid: number; leader: boolean }
  | { type: 'error'; pid: number; message: string };
