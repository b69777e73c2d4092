export declare const HEAP_FLAGS: readonly string[];
export declare const WORKER_LIMITS: { readonly maxYoungGenerationSizeMb: number; readonly maxOldGenerationSizeMb: number };
