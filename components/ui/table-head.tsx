// The header row every console table uses: small grey upper-case labels; "" is an empty cell (action column).
export function TableHead({ columns, pad = "pr-3" }: { columns: string[]; pad?: string }) {
  return (
    <thead className="text-xs tracking-wide text-slate-500 uppercase">
      <tr>
        {columns.map((c, i) => (c ? <th key={i} className={`py-1.5 ${pad} font-medium`}>{c}</th> : <th key={i} />))}
      </tr>
    </thead>
  );
}
