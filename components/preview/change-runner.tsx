"use client";
// Every configuration change goes through here: first the scheduler's what-if
// preview of the change (POST /api/preview), then Apply or Cancel.

import { createContext, useCallback, useContext, useState } from "react";
import type { ChangeInput, PreviewResponse } from "@/server/api/contract";
import { ApiError, applyChange, previewChange } from "../api";
import { Button, errorText } from "../ui/button";
import { SummaryLines } from "./summary-lines";

interface Pending {
  change: ChangeInput;
  title: string;
  preview?: PreviewResponse;
  previewError?: string;
  /** the server rejected the change itself (4xx): applying would fail the same way */
  previewRejected?: boolean;
  applying?: boolean;
  applyError?: string;
  resolve: (applied: boolean) => void;
}

type Propose = (change: ChangeInput, title: string) => Promise<boolean>;

const RunnerContext = createContext<Propose | null>(null);

export function ChangeRunnerProvider({ children }: { children: React.ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);

  const propose = useCallback<Propose>(
    (change, title) =>
      new Promise<boolean>((resolve) => {
        setPending({ change, title, resolve });
        previewChange(change).then(
          (preview) => setPending((p) => (p && p.change === change ? { ...p, preview } : p)),
          (e) =>
            setPending((p) =>
              p && p.change === change
                ? { ...p, previewError: errorText(e), previewRejected: e instanceof ApiError && e.status >= 400 && e.status < 500 }
                : p,
            ),
        );
      }),
    [],
  );

  const close = (applied: boolean) => {
    pending?.resolve(applied);
    setPending(null);
  };

  const apply = async () => {
    if (!pending) return;
    setPending({ ...pending, applying: true, applyError: undefined });
    try {
      await applyChange(pending.change);
      close(true);
    } catch (e) {
      setPending((p) => (p ? { ...p, applying: false, applyError: errorText(e) } : p));
    }
  };

  return (
    <RunnerContext.Provider value={propose}>
      {children}
      {pending && <PreviewDialog pending={pending} onApply={apply} onCancel={() => close(false)} />}
    </RunnerContext.Provider>
  );
}

/** propose(change, title) shows the preview and resolves true once applied, false when cancelled. */
export function useProposeChange(): Propose {
  const p = useContext(RunnerContext);
  if (!p) throw new Error("useProposeChange outside ChangeRunnerProvider");
  return p;
}

function PreviewDialog({ pending, onApply, onCancel }: { pending: Pending; onApply: () => void; onCancel: () => void }) {
  const { preview, previewError, previewRejected, applying, applyError, title } = pending;
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-slate-900/40 px-4 pt-24" onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <div role="dialog" aria-modal="true" aria-labelledby="preview-title" data-testid="preview-dialog" className="w-full max-w-xl rounded-xl bg-white shadow-xl">
        <header className="border-b border-slate-100 px-5 py-3">
          <h2 id="preview-title" className="text-base font-semibold text-slate-800">
            {title}
          </h2>
          <p className="text-xs text-slate-500">What the scheduler would do if you apply this change now.</p>
        </header>
        <div className="max-h-[55vh] space-y-3 overflow-auto px-5 py-4">
          {!preview && !previewError && (
            <p data-testid="preview-loading" className="text-sm text-slate-500">
              Computing the transition…
            </p>
          )}
          {previewError && (
            <p role="alert" data-testid="preview-error" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {previewRejected ? "This change cannot be applied: " : "The preview could not be computed: "}
              {previewError}
            </p>
          )}
          {preview && (
            <>
              <SummaryLines lines={preview.summary} testId="preview-summary" />
              {preview.messages.length > 0 && (
                <ul className="list-disc pl-5 font-mono text-xs text-amber-800">
                  {preview.messages.map((m, i) => (
                    <li key={i}>{m}</li>
                  ))}
                </ul>
              )}
            </>
          )}
          {applyError && (
            <p role="alert" data-testid="apply-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              Not applied: {applyError}
            </p>
          )}
        </div>
        <footer className="flex justify-end gap-2 border-t border-slate-100 px-5 py-3">
          <Button size="md" onClick={onCancel} data-testid="preview-cancel">
            Cancel
          </Button>
          <Button
            size="md"
            variant="primary"
            onClick={onApply}
            disabled={applying || (!preview && !previewError) || previewRejected}
            data-testid="preview-apply"
            autoFocus
          >
            {applying ? "Applying…" : preview ? "Apply" : "Apply without preview"}
          </Button>
        </footer>
      </div>
    </div>
  );
}
