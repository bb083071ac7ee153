import pino from 'pino';
import { ErrorReporter } from './error-reporter';
import { Metrics } from './metrics';

describe(ErrorReporter.name, () => {
  const setup = () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const metrics = new Metrics(false);
    let now = 0;
    const reporter = new ErrorReporter(logger, metrics, () => now);
    return { lines, metrics, reporter, advance: (ms: number) => (now += ms) };
  };

  it('logs the first error of a burst, counts every one, and sums the burst up once it is over', async () => {
    const { lines, metrics, reporter, advance } = setup();
    for (let i = 0; i < 100; i++) {
      reporter.report('redis', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      advance(100);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ source: 'redis', err: 'connect ECONNREFUSED 127.0.0.1:6379' });

    advance(30_000);
    reporter.report('pg-pool', new Error('Connection terminated unexpectedly'));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ source: 'redis', count: 100, msg: 'background error burst over' });
    expect(lines[2]).toMatchObject({ source: 'pg-pool' });

    const counted = (await metrics.registry.getSingleMetric('vigil_background_errors_total')!.get()).values;
    expect(counted.find((v) => v.labels.source === 'redis')?.value).toBe(100);
  });

  it('logs a different error from the same source at once', () => {
    const { lines, reporter } = setup();
    reporter.report('redis', new Error('one'));
    reporter.report('redis', new Error('two'));
    expect(lines.map((l) => l.err)).toEqual(['one', 'two']);
  });

  it('sums a burst up once it has been quiet, even when no later error comes', async () => {
    jest.useFakeTimers();
    try {
      const lines: Record<string, unknown>[] = [];
      const reporter = new ErrorReporter(
        pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) }),
      );
      for (let i = 0; i < 3; i++) reporter.report('redis', new Error('connect ECONNREFUSED'));
      expect(lines).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(lines[1]).toMatchObject({ source: 'redis', count: 3, msg: 'background error burst over' });
    } finally {
      jest.useRealTimers();
    }
  });
});
