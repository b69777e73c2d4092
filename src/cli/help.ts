/**
 * What `--help` adds below each command's options: examples, and the environment variables the
 * command reads (kept here, next to each other, so one look says what a command depends on).
 */
import type { Command } from 'commander';

const PG = ['DATABASE_URL  target database when --db is not given (then db.url of the config file, then the embedded one)', 'PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE PGSERVICEFILE  pg\'s own fallbacks for what the URL leaves out'];
const S3 = [
  'AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE  S3 credentials (the AWS SDK\'s chain)',
  'AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL  S3-compatible endpoint when --s3-endpoint is not given',
  'AWS_REGION AWS_DEFAULT_REGION  region when --s3-region is not given (default us-east-1)',
  'AWS_CA_BUNDLE  certificate authorities for an https endpoint',
];
const VECTORS = [
  'OPENAI_API_KEY OPENAI_BASE_URL  key and endpoint of --embedder openai:<model>',
  'PINECONE_API_KEY PINECONE_CONTROLLER_HOST  key and control plane of --vectors pinecone://<index>',
];
const SHARDS = ['JOB_COMPLETION_INDEX AWS_BATCH_JOB_ARRAY_INDEX  the shard index under --shards n (Kubernetes Indexed Job, AWS Batch array job)', 'SEEDPIPE_SHARDS  shard count when --shards is not given'];
const CONFIG = 'Settings: a flag wins over the environment (.env of the project included), which wins over seedpipe.config.*, which wins over the default.';

interface Help {
  examples: string[];
  env: string[];
}

const HELP: Record<string, Help> = {
  run: {
    examples: [
      'seedpipe run chat --profile light                      # embedded Postgres, database "chat", and out/chat/*.csv',
      'seedpipe run erp --db "$DATABASE_URL" --yes --skip-csv  # your database, no prompt',
      'seedpipe run chat --skip-db --s3 s3://bucket/chat --gzip',
      'seedpipe run chat --vectors lancedb://out/vectors --dry-run',
    ],
    env: [...PG, ...S3, ...VECTORS, ...SHARDS, 'NODE_OPTIONS  heap flags of your own replace those of seedpipe'],
  },
  plan: { examples: ['seedpipe plan chat --profile heavy', 'seedpipe plan ./seed/myapp --json'], env: [] },
  ddl: { examples: ['seedpipe ddl chat > schema.sql'], env: [] },
  validate: { examples: ['seedpipe validate chat --profile light', 'seedpipe validate erp --db "$DATABASE_URL" --json'], env: PG },
  verify: { examples: ['seedpipe verify out/chat', 'seedpipe verify s3://bucket/chat/generation_20250601_000000/'], env: S3 },
  coverage: { examples: ['seedpipe coverage chat', 'seedpipe coverage --db "$DATABASE_URL" --min-coverage 90'], env: PG },
  reset: { examples: ['seedpipe reset chat --yes', 'seedpipe reset chat --cascade   # also empty other tables that reference the dataset’s'], env: PG },
  introspect: { examples: ['seedpipe introspect --db "$DATABASE_URL" --out seed/myapp', 'seedpipe run seed/myapp --db "$DATABASE_URL"'], env: PG },
  prepare: { examples: ['seedpipe prepare chat --profile heavy --db "$DATABASE_URL" --create-tables --yes'], env: PG },
  finalize: { examples: ['seedpipe finalize chat --profile heavy --db "$DATABASE_URL" --shards 16'], env: [...PG, ...S3] },
  export: {
    examples: [
      'seedpipe export --db "$DATABASE_URL" --out out/prod-copy                  # every table as CSV + manifest',
      'SEEDPIPE_MASK_KEY=… seedpipe export --db "$DATABASE_URL" --mask --s3 s3://bucket/masked --format parquet',
      'seedpipe export --db "$DATABASE_URL" --tables users,orders --where "orders: created_at > now() - interval \'30 days\'" --format jsonl',
    ],
    env: [...PG, ...S3, ...VECTORS, 'SEEDPIPE_MASK_KEY  key of the --mask pseudonyms (or --mask-key-file)'],
  },
  copy: {
    examples: ['SEEDPIPE_MASK_KEY=… seedpipe copy --from "$PROD_URL" --to "$STAGING_URL" --mask --confirm-production', 'seedpipe copy --from out/prod-copy --to "$DATABASE_URL"'],
    env: [...PG, 'SEEDPIPE_MASK_KEY  key of the --mask pseudonyms (or --mask-key-file)'],
  },
  clean: { examples: ['seedpipe clean --out out/chat', 'seedpipe clean --s3 s3://bucket/chat', 'seedpipe clean --s3 s3://bucket/chat --all   # no run writes there now', 'seedpipe clean --vectors pinecone://products'], env: [...S3, VECTORS[1]!] },
  init: { examples: ['seedpipe init seed/shop', 'seedpipe init seed/myapp --db "$DATABASE_URL"   # introspects it into the folder'], env: PG },
  'db url': { examples: ['seedpipe db url --database chat', 'DATABASE_URL=$(npx seedpipe db url --database chat) npm start'], env: [] },
  'db psql': { examples: ["seedpipe db psql --database chat -c 'select count(*) from messages'"], env: [] },
};

function block(title: string, lines: readonly string[]): string {
  return lines.length ? `\n${title}:\n${lines.map((l) => `  ${l}`).join('\n')}\n` : '';
}

/** Adds examples and environment variables to every command's help. */
export function addHelp(program: Command): void {
  const visit = (cmd: Command, prefix: string): void => {
    const name = prefix ? `${prefix} ${cmd.name()}` : cmd.name();
    const h = HELP[name];
    if (h) cmd.addHelpText('after', block('Examples', h.examples) + block('Environment', h.env) + `\n${CONFIG}\n`);
    for (const sub of cmd.commands) visit(sub, name);
  };
  for (const c of program.commands) visit(c, '');
  program.addHelpText('after', `\nGet started: seedpipe run chat --profile light   (seedpipe <command> --help for examples)\n\n${CONFIG}\n`);
}
