/**
 * Metric names used by the shipped monitoring files (Grafana dashboard JSON,
 * Prometheus rules), so a test can check each one against the app's /metrics.
 * A small PromQL reader, enough for the expressions we ship: it drops strings,
 * label matchers, grouping clauses and ranges, then keeps the identifiers that
 * are neither keywords nor called like functions.
 */

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(\\.|[^"\\])*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    // Grafana's own variables ($__range, $__rate_interval) are not metrics.
    .replace(/\$\w+/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    const [token, call] = [m[0].replace(/\s*\($/, ''), m[1]];
    if (call || KEYWORDS.has(token.toLowerCase())) continue;
    names.add(token);
  }
  return [...names];
}

/** Every `expr:` of a Prometheus rules file: one-line values and `|` blocks. */
export function rulesExpressions(yamlText: string): string[] {
  const lines = yamlText.split('\n');
  const exprs: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const m = /^(\s*)(?:- )?expr:\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const value = m[2].trim();
    if (value !== '|' && value !== '>') {
      exprs.push(value.replace(/^'(.*)'$/, '$1'));
      continue;
    }
    const block: string[] = [];
    const indent = m[1].length;
    while (i + 1 < lines.length && /^\s*$|^\s+/.test(lines[i + 1])) {
      const next = lines[i + 1];
      if (next.trim() !== '' && next.length - next.trimStart().length <= indent) break;
      block.push(next.trim());
      i += 1;
    }
    exprs.push(block.join(' ').trim());
  }
  return exprs;
}

/** Every `expr` of the panels (and nested row panels) of a Grafana dashboard. */
export function dashboardExpressions(dashboard: unknown): string[] {
  const exprs: string[] = [];
  const visit = (panels: unknown): void => {
    if (!Array.isArray(panels)) return;
    for (const p of panels as Array<{ targets?: Array<{ expr?: string }>; panels?: unknown }>) {
      for (const t of p.targets ?? []) if (t.expr) exprs.push(t.expr);
      visit(p.panels);
    }
  };
  visit((dashboard as { panels?: unknown }).panels);
  return exprs;
}

/**
 * Sample names a Prometheus text exposition can produce, from its TYPE lines:
 * a histogram `x` gives x_bucket, x_sum and x_count. A labelled counter that
 * has not counted yet still has its TYPE line, so it counts as present.
 */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}
