/** The header row every admin table shares; `dense` for compact report tables. */
export function TableHead({ columns, dense = false }: { columns: string[]; dense?: boolean }) {
  const pad = dense ? "py-1" : "py-2";
  return (
    <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
      <tr>
        {columns.map((c, i) => (
          <th key={i} className={i < columns.length - 1 ? `${pad} pr-3` : pad}>{c}</th>
        ))}
      </tr>
    </thead>
  );
}
