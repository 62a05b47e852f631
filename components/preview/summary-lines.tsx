// Renders crm_simulate-style "Transition Summary" lines as a readable list.

const verbTone: Record<string, string> = {
  Start: "text-emerald-700 bg-emerald-50",
  Stop: "text-red-700 bg-red-50",
  Move: "text-sky-700 bg-sky-50",
  Migrate: "text-sky-700 bg-sky-50",
  Restart: "text-amber-800 bg-amber-50",
  Recover: "text-amber-800 bg-amber-50",
  Promote: "text-violet-700 bg-violet-50",
  Demote: "text-violet-700 bg-violet-50",
  Fence: "text-red-800 bg-red-100",
};

export interface SummaryLine {
  verb: string;
  rsc: string;
  detail: string;
}

export function parseSummary(line: string): SummaryLine | null {
  const m = line.match(/^\s*\*\s+(\S+)\s+(\S+)\s+\(\s*(.*?)\s*\)\s*(.*)$/);
  if (m) return { verb: m[1], rsc: m[2], detail: `${m[3]}${m[4] ? ` ${m[4]}` : ""}` };
  const f = line.match(/^\s*\*\s+Fence\s+\((\S+)\)\s+(\S+)/);
  if (f) return { verb: "Fence", rsc: f[2], detail: f[1] };
  return null;
}

export function SummaryLines({ lines, testId }: { lines: string[]; testId?: string }) {
  if (!lines.length)
    return (
      <p data-testid={testId ? `${testId}-none` : undefined} className="text-sm text-slate-600">
        Nothing would start, stop or move.
      </p>
    );
  return (
    <ul data-testid={testId} className="divide-y divide-slate-100 rounded-md border border-slate-200">
      {lines.map((l, i) => {
        const p = parseSummary(l);
        if (!p)
          return (
            <li key={i} className="px-3 py-1.5 font-mono text-xs text-slate-700">
              {l.trim()}
            </li>
          );
        return (
          <li key={i} data-testid={testId ? `${testId}-line` : undefined} className="flex items-center gap-3 px-3 py-1.5 text-sm">
            <span className={`w-20 rounded px-1.5 py-0.5 text-center text-xs font-semibold ${verbTone[p.verb] ?? "bg-slate-100 text-slate-700"}`}>{p.verb}</span>
            <span className="font-medium text-slate-800">{p.rsc}</span>
            <span className="text-slate-500">{p.detail}</span>
          </li>
        );
      })}
    </ul>
  );
}
