/**
 * The routes of a run from the transforms its dataset's tables declare: each sink gets, in table
 * order, the transforms that name it (or name no sink), each scoped to its own table. The scoped
 * transforms are made once, so sinks with the same transforms share one branch (and its encodings).
 */
import type { Sink, TableInfo, Transform } from '../contracts.js';
import type { Route } from '../pipeline/run.js';
import type { DatasetDef } from './types.js';

export function datasetRoutes(def: DatasetDef, sinks: readonly Sink[]): (Sink | Route)[] {
  const declared: { transform: Transform; sinks: readonly string[] | undefined }[] = [];
  for (const [table, t] of Object.entries(def.tables)) {
    for (const d of t.transforms ?? []) {
      declared.push({
        sinks: d.sinks,
        transform: { name: `${d.use.name} (${table})`, forTable: (info: TableInfo) => (info.name === table ? d.use.forTable(info) : null) },
      });
    }
  }
  if (declared.length === 0) return [...sinks];
  return sinks.map((sink) => {
    const transforms = declared.filter((d) => !d.sinks || d.sinks.includes(sink.name)).map((d) => d.transform);
    return transforms.length ? { sink, transforms } : sink;
  });
}
