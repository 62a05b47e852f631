export function Logo({ className = "h-7 w-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <rect width="32" height="32" rx="7" fill="#1e3a8a" />
      <circle cx="16" cy="16" r="9" fill="none" stroke="#93c5fd" strokeWidth="2.5" />
      <circle cx="16" cy="16" r="3.5" fill="#4ade80" />
    </svg>
  );
}
