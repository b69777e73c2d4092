/** The aquaculture parameters and their defaults; `--set name=value` and the profiles change them. */
import type { ParamsOf } from '../../src/index.js';

export const params = {
  /** Minutes between two readings of a sensor while its container is in use. */
  readingEveryMinutes: 2_700,
  /** Year-class size relative to the document's (eggs and freshwater containers per batch; sea pens stay ten). */
  yearClassScale: 1,
  /** Hours between two weather observations at a sea site. */
  weatherEveryHours: 3,
};

/** The parameters as generators read them. */
export type AquaParams = ParamsOf<typeof params>;
