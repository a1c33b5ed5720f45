import type { ComponentChildren } from 'preact';
import type { ApiError } from './api';

export interface PanelProps {
  id: string;
  title: string;
  /** Shown right of the title: pickers, filters. */
  tools?: ComponentChildren;
  loading?: boolean;
  error?: ApiError | null;
  /** True when the data arrived but there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  className?: string;
  children?: ComponentChildren;
}

/** A titled card with the three states every panel has: loading, empty, error. */
export function Panel(props: PanelProps) {
  const { id, title, tools, loading, error, empty, emptyText, onRetry, className, children } =
    props;
  let body: ComponentChildren;
  if (error) {
    body = (
      <div class="state state-error" role="alert">
        <span>
          Could not load: {error.message}
          {error.status ? ` (${error.status})` : ''}
        </span>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        )}
      </div>
    );
  } else if (empty) {
    body = <div class="state state-empty">{emptyText ?? 'No data yet.'}</div>;
  } else {
    body = children;
  }
  return (
    <section
      id={id}
      class={`panel ${className ?? ''}`}
      aria-labelledby={`${id}-title`}
      aria-busy={loading ? 'true' : 'false'}
      data-state={error ? 'error' : loading && !children ? 'loading' : empty ? 'empty' : 'ready'}
    >
      <header class="panel-head">
        <h2 id={`${id}-title`}>{title}</h2>
        {loading && <span class="spinner" aria-label="loading" />}
        <div class="panel-tools">{tools}</div>
      </header>
      <div class="panel-body">{body}</div>
    </section>
  );
}

export function Loading({ text = 'Loading…' }: { text?: string }) {
  return <div class="state state-loading">{text}</div>;
}
