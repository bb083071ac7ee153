/** What a worker process tells its parent over IPC. */
export type WorkerProcessMessage = { type: 'started'; pid: number } | { type: 'error'; pid: number; message: string };
