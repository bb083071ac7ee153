import pino from 'pino';
import { ErrorReporter } from './observability/error-reporter';
import { PeriodicTask } from './periodic-task';

describe(PeriodicTask.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const reporter = () => {
    const reported: string[] = [];
    const errors = new ErrorReporter(pino({ level: 'silent' }));
    jest.spyOn(errors, 'report').mockImplementation((source) => void reported.push(source));
    return { errors, reported };
  };

  it('runs one pass at a time: a tick while a pass is under way starts none', async () => {
    const { errors } = reporter();
    let passes = 0;
    let finish!: () => void;
    const task = new PeriodicTask(
      'slow',
      1_000,
      () => {
        passes++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      errors,
    );
    task.start({ now: true });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(passes).toBe(1);
    finish();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(passes).toBe(2);
    finish();
    await task.stop();
  });

  it('reports a failed pass under its name and tries again at the next tick', async () => {
    const { errors, reported } = reporter();
    let passes = 0;
    const task = new PeriodicTask(
      'flaky',
      1_000,
      async () => {
        passes++;
        if (passes === 1) throw new Error('database away');
      },
      errors,
    );
    task.start();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(reported).toEqual(['flaky']);
    expect(passes).toBe(2);
    await task.stop();
  });

  it('waits on stop for the pass under way, and starts no other', async () => {
    const { errors } = reporter();
    let finished = false;
    const task = new PeriodicTask(
      'last',
      1_000,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        finished = true;
      },
      errors,
    );
    task.start({ now: true });
    const stopped = task.stop();
    await jest.advanceTimersByTimeAsync(500);
    await stopped;
    expect(finished).toBe(true);
  });
});
