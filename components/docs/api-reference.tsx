import { TryIt } from "@/components/docs/try-it";

// The API reference page's body: every operation of the OpenAPI document (parameters,
// body, answers with their schemas and examples), rendered on the server from the same
// document /api/v1/openapi.json serves. Nothing is loaded from elsewhere.

type Json = Record<string, unknown>;

const resolve = (doc: Json, s: Json | undefined): Json | undefined => {
  const ref = s?.$ref as string | undefined;
  if (!ref) return s;
  const name = ref.split("/").pop()!;
  return ((doc.components as Json)?.schemas as Json)?.[name] as Json | undefined;
};

function typeOf(doc: Json, s: Json | undefined): string {
  const r = resolve(doc, s);
  if (!r) return "any";
  if ((s as Json)?.$ref) return String((s as Json).$ref).split("/").pop()!;
  if (r.enum) return (r.enum as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if (r.anyOf) return (r.anyOf as Json[]).map((x) => typeOf(doc, x)).join(" | ");
  if (r.type === "array") return `${typeOf(doc, r.items as Json)}[]`;
  const bits = [r.type ?? "object", r.format, r.pattern && `pattern ${r.pattern}`, r.minimum !== undefined && `≥ ${r.minimum}`, r.maximum !== undefined && `≤ ${r.maximum}`, r.maxLength !== undefined && `≤ ${r.maxLength} chars`];
  return bits.filter(Boolean).join(", ");
}

function Properties({ doc, schema }: { doc: Json; schema: Json | undefined }) {
  const r = resolve(doc, schema);
  const props = r?.properties as Record<string, Json> | undefined;
  if (!props) return <p className="font-mono text-xs text-slate-600">{typeOf(doc, schema)}</p>;
  const required = new Set((r?.required as string[]) ?? []);
  return (
    <table className="mt-1 w-full text-left text-xs">
      <tbody>
        {Object.entries(props).map(([name, p]) => (
          <tr key={name} className="border-t border-slate-100 align-top">
            <td className="py-1 pr-3 font-mono">{name}{required.has(name) ? " *" : ""}</td>
            <td className="py-1 pr-3 font-mono text-slate-600">{typeOf(doc, p)}{p.default !== undefined ? ` (default ${JSON.stringify(p.default)})` : ""}</td>
            <td className="py-1 text-slate-600">{String(resolve(doc, p)?.description ?? "")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const show = (example: unknown) => (typeof example === "string" ? example : JSON.stringify(example, null, 2));

export function ApiReference({ doc }: { doc: Json }) {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const ops = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  const tags = [...new Set(ops.map((o) => (o.op.tags as string[])[0]))];
  return (
    <div className="space-y-10">
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`}>
          <h2 id={`tag-${tag}`} className="text-xl font-semibold">{tag}</h2>
          {ops.filter((o) => (o.op.tags as string[])[0] === tag).map(({ path, method, op }) => {
            const body = op.requestBody as Json | undefined;
            const bodyTypes = Object.entries((body?.content as Record<string, Json>) ?? {});
            const params = (op.parameters as Json[] | undefined) ?? [];
            return (
              <article key={`${method} ${path}`} id={String(op.operationId)} className="mt-4 rounded-lg border border-slate-200 bg-white p-4">
                <h3 className="font-mono text-sm">
                  <span className="mr-2 rounded bg-slate-800 px-1.5 py-0.5 text-xs font-semibold uppercase text-white">{method}</span>
                  {path}
                </h3>
                <p className="mt-1 font-medium">{String(op.summary)}</p>
                <p className="mt-1 whitespace-pre-line text-sm text-slate-600">{String(op.description ?? "")}</p>
                {params.length > 0 && (
                  <>
                    <h4 className="mt-3 text-sm font-semibold">Parameters</h4>
                    <table className="mt-1 w-full text-left text-xs">
                      <tbody>
                        {params.map((p) => (
                          <tr key={`${p.in}-${p.name}`} className="border-t border-slate-100">
                            <td className="py-1 pr-3 font-mono">{String(p.name)}{p.required ? " *" : ""}</td>
                            <td className="py-1 pr-3 text-slate-500">{String(p.in)}</td>
                            <td className="py-1 pr-3 font-mono text-slate-600">{typeOf(doc, p.schema as Json)}</td>
                            <td className="py-1 text-slate-600">{String(p.description ?? "")}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </>
                )}
                {bodyTypes.map(([type, media]) => (
                  <div key={type} className="mt-3">
                    <h4 className="text-sm font-semibold">Body <span className="font-mono font-normal text-slate-500">{type}</span></h4>
                    <Properties doc={doc} schema={media.schema as Json} />
                    {media.example !== undefined && <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{show(media.example)}</pre>}
                  </div>
                ))}
                <h4 className="mt-3 text-sm font-semibold">Answers</h4>
                <ul className="mt-1 space-y-1 text-sm">
                  {Object.entries(op.responses as Record<string, Json>).map(([status, r]) => (
                    <li key={status}>
                      <span className="font-mono font-semibold">{status}</span> <span className="text-slate-600">{String(r.description)}</span>
                      {Object.entries((r.content as Record<string, Json>) ?? {}).filter(([, m]) => m.example !== undefined && status.startsWith("2")).map(([type, m]) => (
                        <pre key={type} className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs">{show(m.example)}</pre>
                      ))}
                    </li>
                  ))}
                </ul>
                {!path.includes("{nextauth}") && (
                  <TryIt method={method.toUpperCase()} path={path.replace("{slug}", "your-team")} contentType={bodyTypes[0]?.[0]} body={bodyTypes[0]?.[1].example === undefined ? undefined : show(bodyTypes[0][1].example)} />
                )}
              </article>
            );
          })}
        </section>
      ))}
    </div>
  );
}
