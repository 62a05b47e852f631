import type { Tone } from "../cluster-view";

export const toneDot: Record<Tone, string> = {
  ok: "bg-emerald-500",
  warn: "bg-amber-500",
  bad: "bg-red-500",
  idle: "bg-slate-400",
  info: "bg-sky-500",
};

export const toneBadge: Record<Tone, string> = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  warn: "bg-amber-50 text-amber-800 ring-amber-600/25",
  bad: "bg-red-50 text-red-800 ring-red-600/25",
  idle: "bg-slate-100 text-slate-600 ring-slate-500/20",
  info: "bg-sky-50 text-sky-800 ring-sky-600/20",
};

export const toneBorder: Record<Tone, string> = {
  ok: "border-l-emerald-500",
  warn: "border-l-amber-500",
  bad: "border-l-red-500",
  idle: "border-l-slate-300",
  info: "border-l-sky-500",
};
