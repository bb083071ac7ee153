import { join } from 'node:path';
import type { VigilConfig } from '@vigil/platform';
import type { WorkerOptions } from '../../../apps/worker/src/worker.module';
import { TsChildProcess } from '../ts-child-process';
import type { WorkerProcessMessage } from './worker-process-message';

const SCRIPT = join(__dirname, 'worker-process.ts');

/** The configuration as the environment variables loadConfig reads, so the child parses what the test chose. */
export function configEnvironment(config: VigilConfig): Record<string, string> {
  return {
    DATABASE_URL: config.databaseUrl,
    DATABASE_POOL_SIZE: String(config.databasePoolSize),
    REDIS_URL: config.redisUrl,
    ...(config.redisClusterNodes
      ? { REDIS_CLUSTER_NODES: config.redisClusterNodes.map(({ host, port }) => `${host}:${port}`).join(',') }
      : {}),
    SMTP_URL: config.smtpUrl,
    MAIL_FROM: config.mailFrom,
    PORT: String(config.port || 3000),
    PUBLIC_BASE_URL: config.publicBaseUrl,
    ADMIN_TOKEN: config.adminToken,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: String(config.webhookAllowPrivateTargets),
    QUEUE_PREFIX: config.queuePrefix,
    RETRY_SCHEDULE: config.retrySchedule.map((ms) => `${ms}ms`).join(','),
    // The API seals each unsubscribe token with this key: the worker must open it with the same one.
    SECRETS_KEY: config.secretsKey,
  };
}

/** The real worker (worker-process.ts under ts-node) in a child process. */
export class WorkerProcess extends TsChildProcess<WorkerProcessMessage> {
  /** Its health and metrics port, once started. */
  get port(): number {
    return this.startedMessage().port;
  }

  /** The consumers of the log it runs (each led by one worker at a time), once started. */
  get consumers(): string[] {
    return this.startedMessage().consumers;
  }

  private startedMessage(): Extract<WorkerProcessMessage, { type: 'started' }> {
    const started = this.messages.find((m) => m.type === 'started');
    if (!started) throw new Error(`worker ${this.pid} has not started`);
    return started;
  }

  /** Its /metrics, as Prometheus text. */
  async metrics(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    if (!response.ok) throw new Error(`worker ${this.pid} /metrics answered ${response.status}`);
    return response.text();
  }

  static spawn(config: VigilConfig, options: WorkerOptions = {}): WorkerProcess {
    return new WorkerProcess(SCRIPT, { ...configEnvironment(config), WORKER_OPTIONS: JSON.stringify(options) });
  }
}
