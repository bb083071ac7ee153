import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process (not prom-client's global one), so the API and the worker can live in one
 * test process without registering a metric twice. Libraries add their metrics to it.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly eventsAppended = new Counter({
    name: 'vigil_events_appended_total',
    help: 'Events appended to the log',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly backgroundErrors = new Counter({
    name: 'vigil_background_errors_total',
    help: 'Errors reported outside a request or a job (connections lost, reconnections), by where they came from',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  constructor(collectDefaults = true) {
    if (collectDefaults) collectDefaultMetrics({ register: this.registry });
  }
}
