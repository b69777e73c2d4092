import type { Rule } from 'eslint';

/** Why importing `to` from `from` (repository paths without extension) breaks the layering, or undefined. */
export function violation(from: string, to: string): string | undefined;
declare const plugin: { rules: { boundaries: Rule.RuleModule } };
export default plugin;
