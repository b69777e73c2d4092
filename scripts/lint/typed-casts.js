// Casts that the typed dataset API makes unnecessary, as `no-restricted-syntax` selectors for
// config/ (see README, "Writing a dataset"): `defineDataset` and `defineTables` type `c.row`,
// `c.parent`, `c.params` and what `c.lookup`/`c.children`/`c.key`/`c.ref` return from the
// declarations, so a cast there only hides a wrong column name or type. A structured helper value
// says its type with `jsonb<T>()`; a helper function takes a `TypedCountContext`/`TypedGenContext`
// of the rows it reads. Generators name their context `c`, as every built-in dataset does.
const FIX = 'declare the type instead (a column type, jsonb<T>() for a helper value, a typed context for a helper function)';
const ROWS = "/^(row|parent|params)$/";
const READS = "/^(lookup|children|key|ref)$/";

/** @type {{ selector: string, message: string }[]} */
export const typedCasts = [
  {
    selector: `TSAsExpression[expression.object.object.name='c'][expression.object.property.name=${ROWS}]`,
    message: `No cast on c.row/c.parent/c.params columns: their types come from the declarations; ${FIX}.`,
  },
  {
    selector: `TSAsExpression[expression.object.name='c'][expression.property.name=${ROWS}]`,
    message: `No cast of c.row/c.parent/c.params: their types come from the declarations; ${FIX}.`,
  },
  {
    selector: `TSAsExpression[expression.callee.object.name='c'][expression.callee.property.name=${READS}]`,
    message: `No cast of what c.lookup/c.children/c.key/c.ref return: it is typed by the table's declaration; ${FIX}.`,
  },
  {
    selector: `TSAsExpression[expression.object.callee.object.name='c'][expression.object.callee.property.name=${READS}]`,
    message: `No cast on a column of a c.lookup/c.children result: it is typed by the table's declaration; ${FIX}.`,
  },
];
