// Time bound and retries for the sweep. Every AWS call and every wait goes through a Deadline, so the sweep ends
// by its time bound with a message that says what is left; throttling and "still in use" errors are retried with
// exponential backoff. The clock is injectable: tests run the whole sweep in virtual time.

/** Where time comes from; tests pass a virtual clock whose sleep advances `now`. */
export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Backoff {
    /** First delay. */
    baseMs: number;
    /** Largest delay. */
    maxMs: number;
    /** Returns [0, 1): the delay is scaled to between half and all of its exponential value ("equal jitter"). */
    random: () => number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 30_000, random: Math.random };

/** AWS asks us to slow down. The SDK retries these a few times itself; the sweep keeps going until its bound. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
]);

/**
 * Something still uses the resource: a security group an ENI or a rule still references, a target group a listener
 * still forwards to, an ENI still being released. They clear as the things before them go away.
 */
export const IN_USE_CODES: ReadonlySet<string> = new Set([
    "DependencyViolation",
    "ResourceInUse",
    "ResourceInUseException",
    "InvalidNetworkInterface.InUse",
]);

/** The resource is already gone: the sweep is idempotent, so this is success. */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
    "LoadBalancerNotFound",
    "LoadBalancerNotFoundException",
    "TargetGroupNotFound",
    "TargetGroupNotFoundException",
    "InvalidInstanceID.NotFound",
    "InvalidGroup.NotFound",
    "InvalidGroupId.NotFound",
    "InvalidNetworkInterfaceID.NotFound",
    "InvalidPermission.NotFound",
    "InvalidSecurityGroupRuleId.NotFound",
]);

/** The AWS error code of an SDK v3 error (its `name`), or "" for anything else. */
export function errorCode(err: unknown): string {
    if (err && typeof err === "object") {
        const e = err as { name?: unknown; Code?: unknown; code?: unknown };
        for (const v of [e.Code, e.code, e.name]) if (typeof v === "string" && v !== "" && v !== "Error") return v;
    }
    return "";
}

export const isNotFound = (err: unknown): boolean => NOT_FOUND_CODES.has(errorCode(err));

/** Thrown when the sweep reaches its time bound; carries what was left so the caller can say it. */
export class SweepTimeoutError extends Error {
    constructor(
        message: string,
        readonly phase: string,
        readonly remaining: readonly string[],
    ) {
        super(message);
        this.name = "SweepTimeoutError";
    }
}

/** The sweep's time bound. */
export class Deadline {
    private readonly endsAt: number;

    constructor(
        readonly clock: Clock,
        readonly timeoutMs: number,
        private readonly describe: (phase: string, remaining: readonly string[]) => string,
    ) {
        this.endsAt = clock.now() + timeoutMs;
    }

    remainingMs(): number {
        return this.endsAt - this.clock.now();
    }

    /** Throws SweepTimeoutError when the bound has passed. */
    check(phase: string, remaining: readonly string[]): void {
        if (this.remainingMs() <= 0) throw new SweepTimeoutError(this.describe(phase, remaining), phase, remaining);
    }

    /** Sleeps `ms`, or only until the bound, then checks it. */
    async sleep(ms: number, phase: string, remaining: readonly string[]): Promise<void> {
        this.check(phase, remaining);
        await this.clock.sleep(Math.max(0, Math.min(ms, this.remainingMs())));
        this.check(phase, remaining);
    }
}

export interface RetryContext {
    deadline: Deadline;
    backoff: Backoff;
    log: (line: string) => void;
    phase: string;
}

export function backoffDelay(attempt: number, backoff: Backoff): number {
    const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt);
    return Math.round(exponential / 2 + (exponential / 2) * backoff.random());
}

/**
 * Runs `op` until it succeeds, retrying throttling and in-use errors with exponential backoff until the deadline.
 * Resolves "gone" when AWS says the resource no longer exists. Any other error is thrown at once.
 */
export async function withRetry<T>(what: string, op: () => Promise<T>, ctx: RetryContext): Promise<T | "gone"> {
    for (let attempt = 0; ; attempt++) {
        ctx.deadline.check(ctx.phase, [what]);
        try {
            return await op();
        } catch (err) {
            const code = errorCode(err);
            if (NOT_FOUND_CODES.has(code)) return "gone";
            if (!THROTTLING_CODES.has(code) && !IN_USE_CODES.has(code)) throw err;
            const delay = backoffDelay(attempt, ctx.backoff);
            ctx.log(`  ${what}: ${code}, retrying in ${(delay / 1000).toFixed(1)} s`);
            await ctx.deadline.sleep(delay, ctx.phase, [what]);
        }
    }
}
