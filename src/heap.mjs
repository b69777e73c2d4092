// V8 settings for every seedpipe process and worker thread, in plain JavaScript because the
// CLI entry point applies them before the TypeScript loader exists.
//
// Generation allocates many short-lived strings. Batches are written to off-heap buffers as they
// are encoded, so young-generation collections copy almost nothing; their cost is then per
// collection, and a 16 MB semi-space needs an eighth of the collections a 2 MB one does (GC pauses
// measured at 1M chat messages: 398 ms against 775 ms). The bounded old space keeps RSS flat: with
// V8's defaults it drifts up with the row count although nothing is retained.
//
// The V8 thread pool is sized to one thread (default 4). It runs the background compiles and the
// concurrent GC work; on a machine whose cores a load already keeps busy (this process generating,
// the database server parsing and indexing) more helper threads only compete with the server.
// Loading erp medium into Postgres on 2 cores, alternated 4 times each: 4.41 s against 4.54 s
// mean, about 10 MB less RSS and a tighter spread; chat's load was unchanged.

/** Node flags for the main thread. @type {readonly string[]} */
export const HEAP_FLAGS = Object.freeze(['--max-semi-space-size=16', '--max-old-space-size=256', '--v8-pool-size=1']);

/**
 * The same sizes as `Worker` resource limits (a young generation is three semi-spaces).
 * @type {{ readonly maxYoungGenerationSizeMb: number, readonly maxOldGenerationSizeMb: number }}
 */
export const WORKER_LIMITS = Object.freeze({ maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 256 });
