/** Table streams and batches as the pipeline hands them to sinks, for tests that drive a sink directly. */
import type { TableInfo, TableStream } from '../../src/index.js';
import { ENCODERS } from './pipeline.js';

/** The stream of `format` for `info` (its header and trailer), as `runPipeline` passes it to `Sink.table`. */
export function streamOf(info: TableInfo, format: string | undefined): TableStream {
  if (format === undefined) return { format, header: Buffer.alloc(0), trailer: () => Buffer.alloc(0) };
  const enc = ENCODERS.find((e) => e.format === format)!.forTable(info);
  return { format, header: enc.header, trailer: () => enc.trailer?.() ?? Buffer.alloc(0) };
}

/** The stream a sink asks for: `streamOf(info, sink.input(info).format)`. */
export function streamFor(sink: { input(info: TableInfo): { format?: string } }, info: TableInfo): TableStream {
  return streamOf(info, sink.input(info).format);
}
