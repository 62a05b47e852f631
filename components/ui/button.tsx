"use client";
import { useState } from "react";
import { ApiError } from "../api";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-accent-600 text-white hover:bg-accent-700 shadow-sm",
  secondary: "bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50",
  danger: "bg-white text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50",
  ghost: "text-slate-600 hover:bg-slate-100",
};

export function Button({
  variant = "secondary",
  size = "sm",
  className = "",
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: "sm" | "md" }) {
  const pad = size === "md" ? "px-3.5 py-2 text-sm" : "px-2.5 py-1 text-xs";
  return (
    <button
      {...props}
      className={`inline-flex items-center justify-center gap-1.5 rounded-md font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${pad} ${variants[variant]} ${className}`}
    />
  );
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A button that runs an API call, shows that it is busy, and says what went wrong. */
export function ActionButton({
  run,
  children,
  testId,
  variant,
  title,
  disabled,
}: {
  run: () => Promise<unknown>;
  children: React.ReactNode;
  testId?: string;
  variant?: Variant;
  title?: string;
  disabled?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="relative inline-flex flex-col items-end">
      <Button
        data-testid={testId}
        variant={variant}
        title={title}
        disabled={busy || disabled}
        aria-busy={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await run();
          } catch (e) {
            setError(errorText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy && <span className="h-3 w-3 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden />}
        {children}
      </Button>
      {error && (
        <span
          role="alert"
          data-testid={testId ? `${testId}-error` : undefined}
          className="absolute top-full right-0 z-20 mt-1 w-64 rounded-md border border-red-200 bg-red-50 p-2 text-left text-xs text-red-800 shadow"
        >
          {error}
          <button className="ml-2 font-semibold underline" onClick={() => setError(null)}>
            Dismiss
          </button>
        </span>
      )}
    </span>
  );
}
