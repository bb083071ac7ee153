import { Benchmark, print, withContext } from './context';
import * as append from './append.bench';
import * as fanout from './fanout.bench';
import * as intake from './intake.bench';
import * as projections from './projections.bench';
import * as rebuild from './rebuild.bench';
import * as routing from './routing.bench';
import * as scale from './scale.bench';
import * as search from './search.bench';
import * as soak from './soak.bench';
import * as views from './views.bench';
import * as webhooks from './webhooks.bench';

/** Registering a benchmark is one line here: name → module exporting `run(ctx)`. */
const BENCHMARKS: Record<string, Benchmark> = {
  append,
  intake,
  projections,
  fanout,
  webhooks,
  search,
  soak,
  scale,
  views,
  rebuild,
  routing,
};
/**
 * Run only when named: the soak takes ten minutes and more, the scale bench about as long, its rebuilds alone a
 * quarter of an hour, views five; routing makes 100,000 subscriptions for one fan-out.
 */
const ONLY_BY_NAME = new Set(['soak', 'scale', 'rebuild', 'views', 'routing']);

/** `scale --size 100000` or `scale --size=100000`: benchmark names, and options with their values. */
function parseArguments(args: string[]): { names: string[]; options: Record<string, string> } {
  const names: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const option = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!option) names.push(args[i]);
    else options[option[1]] = option[2] ?? args[++i] ?? '';
  }
  return { names, options };
}

async function main(): Promise<number> {
  const { names: wanted, options } = parseArguments(process.argv.slice(2));
  // An option reaches the benchmarks as BENCH_<NAME> (`--size 100000` → BENCH_SIZE), as the other settings do.
  for (const [key, value] of Object.entries(options))
    process.env[`BENCH_${key.toUpperCase().replace(/-/g, '_')}`] = value;
  const unknown = wanted.filter((name) => !(name in BENCHMARKS));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
    return 1;
  }
  let failed = false;
  for (const name of wanted.length ? wanted : Object.keys(BENCHMARKS).filter((name) => !ONLY_BY_NAME.has(name))) {
    try {
      await withContext(name, async (ctx) => {
        const summary = await BENCHMARKS[name].run(ctx);
        const { metric, value, ceiling, target, details } = summary;
        const ratio = ceiling === null ? null : Math.round((value / ceiling) * 1000) / 1000;
        const meets = summary.meets ?? (ratio ?? value) >= target;
        print({ bench: name, metric, value, ceiling, ratio, target, meets, details });
      });
    } catch (error) {
      // Keep going: one broken benchmark should not hide the others' figures.
      failed = true;
      process.stderr.write(`bench ${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
