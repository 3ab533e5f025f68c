/** Thrown when the queue holds `maxQueued` jobs already. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

/**
 * Runs at most `concurrency` jobs at once, taking turns between keys: each free slot goes to the
 * waiting key served least recently (a key new to the queue first), oldest job first within a
 * key. A flood of jobs under one key (wrong passwords for one account) then delays another key's
 * job only by the jobs already running, not by the flood.
 */
export class FairQueue {
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Per key with work running or waiting: when it last started a job. */
  private readonly lastStarted = new Map<string, number>();
  private readonly runningByKey = new Map<string, number>();
  private active = 0;
  private queued = 0;
  private tick = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued = 10_000,
  ) {}

  /** Jobs running and waiting, for tests and metrics. */
  get size(): { active: number; queued: number } {
    return { active: this.active, queued: this.queued };
  }

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency && this.queued === 0) return this.start(key, job);
    if (this.queued >= this.maxQueued) {
      return Promise.reject(new QueueFullError(`more than ${this.maxQueued} jobs waiting`));
    }
    return new Promise<T>((resolve, reject) => {
      const jobs = this.waiting.get(key) ?? [];
      if (jobs.length === 0) this.waiting.set(key, jobs);
      jobs.push(() => void this.start(key, job).then(resolve, reject));
      this.queued++;
    });
  }

  private async start<T>(key: string, job: () => Promise<T>): Promise<T> {
    this.active++;
    this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
    this.lastStarted.set(key, ++this.tick);
    try {
      return await job();
    } finally {
      this.active--;
      const running = this.runningByKey.get(key)! - 1;
      if (running > 0) this.runningByKey.set(key, running);
      else {
        this.runningByKey.delete(key);
        if (!this.waiting.has(key)) this.lastStarted.delete(key);
      }
      this.next();
    }
  }

  /** Starts the oldest job of the waiting key that started a job least recently (or never). */
  private next(): void {
    if (this.active >= this.concurrency || this.queued === 0) return;
    let key = '';
    let oldest = Infinity;
    for (const candidate of this.waiting.keys()) {
      const started = this.lastStarted.get(candidate) ?? 0;
      if (started < oldest) [key, oldest] = [candidate, started];
    }
    const jobs = this.waiting.get(key)!;
    const job = jobs.shift()!;
    if (jobs.length === 0) this.waiting.delete(key);
    this.queued--;
    job();
  }
}
