/**
 * erp business rules as SQL: each query returns the rows that break its rule (none when the data
 * is right). `seedpipe validate` runs them after a load.
 */
import type { CheckDef } from '../../src/index.js';
import { moneyChecks } from './checks-money.js';
import { opsChecks } from './checks-ops.js';

export const erpChecks: readonly CheckDef[] = [...moneyChecks, ...opsChecks];
