import { loadavg } from 'node:os';
import { createProjections } from '@vigil/projections';
import type { BenchContext, Summary } from './context';
import { rebuildRates } from './scale.bench';
import { ScaleLog } from './scale/scale-log';
import { round } from './stats';

/**
 * The scale bench's rebuild figure alone (docs/scaling.md): one log shaped as intake writes it
 * (bench/scale/scale-log.ts) grown to a tenth of `--size`, every projection rebuilt, the same log grown to `--size`,
 * every projection rebuilt again; a quarter of an hour at a million events instead of the scale bench's hour.
 * `--projections incidents,name-words` rebuilds only those; `--runs` timed runs of each rebuild (median; the
 * young log's are preceded by a warm-up, as in the scale bench). Read when the bench runs (run.ts sets BENCH_*).
 */
export async function run(ctx: BenchContext): Promise<Summary> {
  const size = Number(process.env.BENCH_SIZE ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 1);
  const names = process.env.BENCH_PROJECTIONS?.split(',');
  const projections = createProjections().filter((projection) => !names || names.includes(projection.name));
  const pool = ctx.pool(8);
  const log = new ScaleLog(Math.round(1_000 * (size / 1_000_000)));
  const phase = async (events: number, young: boolean) => {
    const atStart = loadavg()[0];
    await log.growTo(pool, events);
    const figures = await rebuildRates(ctx, pool, young, projections, runs);
    const measured = { events: log.events, ...figures, loadAverage: { atStart, atEnd: loadavg()[0] } };
    ctx.print({ bench: ctx.name, [young ? 'young' : 'grown']: measured });
    return measured;
  };
  const young = await phase(size / 10, true);
  const grown = await phase(size, false);
  const ratio = (figure: 'eventsPerSec' | 'nodeCpuUsPerEvent' | 'dbCpuUsPerEvent') =>
    Object.fromEntries(projections.map(({ name }) => [name, round(grown[figure][name] / young[figure][name])]));
  const rateRatios = ratio('eventsPerSec');
  return {
    metric: 'lowest over the projections of rebuild events/s on the grown log ÷ on the young one',
    value: Math.min(...Object.values(rateRatios)),
    ceiling: null,
    target: 0.8,
    details: {
      events: { young: young.events, grown: grown.events },
      rebuildEventsPerSec: { young: young.eventsPerSec, grown: grown.eventsPerSec, ratio: rateRatios },
      // CPU per event, grown ÷ young: above 1, something costs more per event on the longer log.
      nodeCpuUsPerEvent: {
        young: young.nodeCpuUsPerEvent,
        grown: grown.nodeCpuUsPerEvent,
        ratio: ratio('nodeCpuUsPerEvent'),
      },
      dbCpuUsPerEvent: { young: young.dbCpuUsPerEvent, grown: grown.dbCpuUsPerEvent, ratio: ratio('dbCpuUsPerEvent') },
      loadAverage: { young: young.loadAverage, grown: grown.loadAverage },
      runs,
    },
  };
}
