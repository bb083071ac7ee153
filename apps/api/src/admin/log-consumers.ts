import { ALERT_ROUTER } from '@vigil/alerts';
import type { Projection } from '@vigil/consumers';
import { createProjections } from '@vigil/projections';

/** The consumers of the log the worker runs: the projections, and the alert router (not rebuildable). */
export interface LogConsumers {
  projections: Projection[];
  names: string[];
}

export const LOG_CONSUMERS = Symbol('LOG_CONSUMERS');

export function logConsumers(): LogConsumers {
  const projections = createProjections();
  return { projections, names: [...projections.map((p) => p.name), ALERT_ROUTER] };
}
