/**
 * Dataset keys for database names, and the tables left alone.
 *
 * Dataset keys are lower_snake_case and unique per dataset; database names are anything Postgres
 * allows. A table or column whose name is not lower_snake_case (`TeamMember`, `createdAt`) gets its
 * snake_case key and keeps its name as `sqlName`; a second table of the same name in another schema
 * gets `<schema>_<name>`. Sinks use `schema` + `sqlName` to reach the database object.
 *
 * Bookkeeping: the migration tables of application frameworks (Rails, Django, Prisma, Alembic, Knex,
 * Flyway, Liquibase, TypeORM, golang-migrate, Diesel, Ecto, goose, Sequelize, dbmate) record which
 * migrations ran. Writing fake rows there, or emptying them, breaks the application's next deploy,
 * so by default they are left out of the dataset and declared `untouched`.
 */
import type { CatalogTable } from './catalog-types.js';
import { IDENT } from './model.js';

/** `TeamMember` → `team_member`, `teamID` → `team_id`, `Order Items` → `order_items`. */
export function snakeKey(name: string): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+(?=.)|_+$/g, '');
  const k = /^[a-z_]/.test(s) ? s : `_${s}`;
  return k || '_';
}

/** Unique keys for `names` (in order), each the snake_case form, suffixed when taken. */
export function uniqueKeys(names: readonly string[], reserved: ReadonlySet<string> = new Set(), prefer?: (name: string) => string): Map<string, string> {
  const taken = new Set(reserved);
  const out = new Map<string, string>();
  for (const n of names) {
    let k = IDENT.test(n) ? n : snakeKey(n);
    if (taken.has(k) && prefer) k = prefer(n);
    for (let i = 2; taken.has(k); i++) k = `${IDENT.test(n) ? n : snakeKey(n)}_${i}`;
    taken.add(k);
    out.set(n, k);
  }
  return out;
}

export interface Bookkeeping {
  framework: string;
  /** Table names (exact, case-sensitive as Postgres stores them). */
  names: readonly string[];
  /** Columns the table must have (lower-cased), to tell a framework's table from an app table of the same name. */
  columns: readonly string[];
}

export const BOOKKEEPING: readonly Bookkeeping[] = [
  { framework: 'golang-migrate', names: ['schema_migrations'], columns: ['version', 'dirty'] },
  { framework: 'Rails / Ecto / dbmate', names: ['schema_migrations'], columns: ['version'] },
  { framework: 'Rails', names: ['ar_internal_metadata'], columns: ['key', 'value'] },
  { framework: 'Django', names: ['django_migrations'], columns: ['app', 'name', 'applied'] },
  { framework: 'Prisma', names: ['_prisma_migrations'], columns: ['migration_name', 'checksum'] },
  { framework: 'Alembic', names: ['alembic_version'], columns: ['version_num'] },
  { framework: 'Knex', names: ['knex_migrations'], columns: ['name', 'batch'] },
  { framework: 'Knex', names: ['knex_migrations_lock'], columns: ['is_locked'] },
  { framework: 'Flyway', names: ['flyway_schema_history'], columns: ['installed_rank', 'version', 'script'] },
  { framework: 'Liquibase', names: ['databasechangelog'], columns: ['id', 'author', 'filename'] },
  { framework: 'Liquibase', names: ['databasechangeloglock'], columns: ['id', 'locked'] },
  { framework: 'TypeORM', names: ['migrations'], columns: ['timestamp', 'name'] },
  { framework: 'TypeORM', names: ['typeorm_metadata'], columns: ['type', 'name'] },
  { framework: 'Diesel', names: ['__diesel_schema_migrations'], columns: ['version', 'run_on'] },
  { framework: 'goose', names: ['goose_db_version'], columns: ['version_id', 'is_applied'] },
  { framework: 'Sequelize', names: ['SequelizeMeta'], columns: ['name'] },
];

/** The framework whose bookkeeping table `t` is, or null. */
export function bookkeepingOf(t: CatalogTable): string | null {
  const cols = new Set(t.columns.map((c) => c.name.toLowerCase()));
  for (const b of BOOKKEEPING) {
    if (b.names.includes(t.name) && b.columns.every((c) => cols.has(c))) return b.framework;
  }
  return null;
}
