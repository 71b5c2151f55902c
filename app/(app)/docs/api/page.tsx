import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { openApiDocument } from "@/lib/openapi/document";
import { ApiReference } from "@/components/docs/api-reference";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage() {
  await requireViewer();
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as Record<string, unknown>;
  return (
    <div className="space-y-6">
      <header className="max-w-3xl">
        <h1 className="text-2xl font-semibold">API reference</h1>
        <p className="mt-2 text-slate-600">
          Every endpoint, generated from the schemas that validate requests. The machine-readable description is at{" "}
          <a href="/api/v1/openapi.json" className="text-brand-600 underline">/api/v1/openapi.json</a> (OpenAPI 3.1): import it into Postman, Insomnia or a client generator.
          Errors are always <code className="rounded bg-slate-100 px-1">{`{"error": {"code", "message"}}`}</code>.
        </p>
      </header>
      <ApiReference doc={doc} />
    </div>
  );
}
