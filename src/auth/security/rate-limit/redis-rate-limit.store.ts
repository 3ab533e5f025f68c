import type { CounterState, RateLimitStore } from './rate-limit.store.js';

/**
 * The part of a Redis client the store uses: `eval` and `del` as ioredis has them
 * (`new Redis(url)` from the `ioredis` package). Pass any client with these two methods.
 */
export interface RedisEvalClient {
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  del(...keys: string[]): Promise<unknown>;
}

/** INCR, with the window set by the hit that creates the key; returns the count and the ms left. */
const HIT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const GET = `local count = redis.call('GET', KEYS[1])
if not count then return nil end
return {tonumber(count), redis.call('PTTL', KEYS[1])}`;

/**
 * Rate-limit counters in Redis, for several app instances on the official core (with the
 * embedded core, its own store is shared already). Each counter is one key under `prefix` that
 * expires with its window; a hit is one atomic script.
 *
 * @example
 * import Redis from 'ioredis';
 * AuthModule.forRoot({ ..., rateLimit: { store: new RedisRateLimitStore(new Redis(process.env.REDIS_URL)) } })
 */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: RedisEvalClient,
    private readonly prefix = 'nest-supertokens:',
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, windowMs: number): Promise<CounterState> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, windowMs)) as [
      number,
      number,
    ];
    return { count: Number(count), resetAt: this.now() + Number(ttl) };
  }

  async get(key: string): Promise<CounterState | undefined> {
    const reply = (await this.redis.eval(GET, 1, this.prefix + key)) as [number, number] | null;
    if (!reply || Number(reply[1]) <= 0) return undefined;
    return { count: Number(reply[0]), resetAt: this.now() + Number(reply[1]) };
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
