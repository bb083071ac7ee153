import { Client } from 'pg';

/** Round trips and transactions counted since `start`, by every pg client of this process. */
export interface StatementCount {
  statements: number;
  transactions: number;
  byName: Record<string, number>;
}

let counting: StatementCount | undefined;
const inBlock = new WeakSet<object>();
let installed = false;

/**
 * Counts every query a pg client of this process sends (each one a round trip) and the transactions they
 * commit: a statement outside BEGIN … COMMIT commits on its own, a block commits once. A load-independent
 * figure of what a request costs the database, next to the CPU the bench reads from /proc.
 */
function install(): void {
  if (installed) return;
  installed = true;
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: object, ...args: unknown[]) {
    const config = args[0] as string | { name?: string; text?: string };
    const text = typeof config === 'string' ? config : (config?.text ?? '');
    if (counting) {
      counting.statements++;
      const name =
        typeof config === 'string' ? text.split(/\s+/).slice(0, 3).join(' ') : (config.name ?? text.slice(0, 40));
      counting.byName[name] = (counting.byName[name] ?? 0) + 1;
      if (text === 'BEGIN') {
        inBlock.add(this);
        counting.transactions++;
      } else if (text === 'COMMIT' || text === 'ROLLBACK') inBlock.delete(this);
      else if (!inBlock.has(this)) counting.transactions++;
    } else if (text === 'BEGIN') inBlock.add(this);
    else if (text === 'COMMIT' || text === 'ROLLBACK') inBlock.delete(this);
    return query.apply(this, args);
  } as typeof Client.prototype.query;
}

/** Starts counting; the returned function stops and answers what was counted. */
export function countStatements(): () => StatementCount {
  install();
  const count: StatementCount = { statements: 0, transactions: 0, byName: {} };
  counting = count;
  return () => {
    counting = undefined;
    return count;
  };
}
