/** The erp parameters and their defaults; `--set name=value` and the profiles change them. */
import type { ParamsOf } from '../../src/index.js';

export const params = {
  /** Zipf exponent of orders over clients (1.1 → top 20% ≈ 80% of revenue at 300 clients). */
  clientZipf: 1.1,
};

/** The parameters as generators read them. */
export type ErpParams = ParamsOf<typeof params>;
